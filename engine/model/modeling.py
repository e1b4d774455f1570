"""Thea's M2-BERT encoder and its bug-detection heads, exposed through transformers.

`TheaM2Model`: embeddings -> N x (sequence mixer + LayerNorm, Monarch GLU) -> hidden states.
`TheaM2ForBugDetection`: scores candidate sites (P(bug here), with a learned "no bug" slot)
and ranks repairs for a site, GREAT/BugLab style. Sites and repairs come from tree-sitter
(engine/model/sites.py); the model only sees token spans.
Weights save and load as safetensors only (`save_pretrained(safe_serialization=True)`).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PreTrainedModel

from engine.model.config import TheaM2Config
from engine.model.monarch import MonarchGLU
from engine.model.roles import NAME_FEATURES
from engine.model.sequence_mixer import MonarchMixerSequenceMixing
from engine.model.site_mixer import SiteMixer


class M2Layer(nn.Module):
    def __init__(self, config: TheaM2Config) -> None:
        super().__init__()
        self.mixer = MonarchMixerSequenceMixing(
            config.hidden_size,
            config.max_position_embeddings,
            config.hyena_filter_order,
            config.hyena_emb_dim,
            config.short_conv_kernel,
            config.bidirectional,
            config.residual_long_conv,
            config.hyena_filter_scale,
            config.hyena_normalized_filters,
        )
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.layernorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.mlp = MonarchGLU(config.hidden_size, config.intermediate_size, config.nblocks,
                              config.hidden_dropout_prob, config.layer_norm_eps)

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        # hidden: (b, l, d) -> (b, l, d); post-norm residuals, as BERT and M2-BERT
        hidden = self.layernorm(hidden + self.dropout(self.mixer(hidden, mask)))
        return self.mlp(hidden)


class TheaM2PreTrainedModel(PreTrainedModel):
    config_class = TheaM2Config
    base_model_prefix = "m2"
    supports_gradient_checkpointing = False

    def _init_weights(self, module: nn.Module) -> None:
        if isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=0.02)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)


class TheaM2Model(TheaM2PreTrainedModel):
    def __init__(self, config: TheaM2Config) -> None:
        super().__init__(config)
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.embedding_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.embedding_dropout = nn.Dropout(config.hidden_dropout_prob)
        self.layers = nn.ModuleList(M2Layer(config) for _ in range(config.num_hidden_layers))
        self.post_init()

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        # input_ids: (b, l) -> hidden: (b, l, d)
        mask = attention_mask.to(self.embeddings.weight.dtype) if attention_mask is not None else None
        hidden = self.embedding_dropout(self.embedding_norm(self.embeddings(input_ids)))
        for layer in self.layers:
            hidden = layer(hidden, mask)
        return hidden


@dataclass
class SiteBatch:
    """Candidate sites and repairs of one batch, as token spans (end exclusive).

    site_doc, site_start, site_end, site_kind: (s,) one row per candidate site
    repair_site: (r,) index of the site each repair belongs to
    repair_start, repair_end: (r,) a span in the same document that represents the repair
      (e.g. another occurrence of the replacement variable), or -1 when the repair is
      represented by `repair_token` alone
    repair_token: (r,) a vocabulary id for the replacement text (operator, literal, name head)
    site_group, repair_group: (s,), (r,) the batch-wide id of the name used at a site / proposed
      by a repair, -1 for none: the model pools the other uses of a name (None: no names)
    role_doc, role_start, role_end, role_group: (u,) argument-role uses (engine/model/roles.py)
      as token spans, and the batch-wide id of each one's role (None: no roles)
    site_role: (s, 2) the role uses of a swapped-arguments site's two arguments, -1 for none
    peer_group: (s,) the batch-wide id of a site's peer key (engine/model/sites.py), -1 for none
    site_role_names: (s, NAME_FEATURES) name likeness of a swap site's arguments and its roles (roles.py)
    """

    site_doc: torch.Tensor
    site_start: torch.Tensor
    site_end: torch.Tensor
    site_kind: torch.Tensor
    repair_site: torch.Tensor
    repair_start: torch.Tensor
    repair_end: torch.Tensor
    repair_token: torch.Tensor
    site_group: torch.Tensor | None = None
    repair_group: torch.Tensor | None = None
    role_doc: torch.Tensor | None = None
    role_start: torch.Tensor | None = None
    role_end: torch.Tensor | None = None
    role_group: torch.Tensor | None = None
    site_role: torch.Tensor | None = None
    peer_group: torch.Tensor | None = None
    site_role_names: torch.Tensor | None = None


def prefix_sums(hidden: torch.Tensor) -> torch.Tensor:
    """(b, l, d) -> (b, l+1, d) float64 prefix sums along the tokens, for `span_means`: differences
    of large float32 sums over 32k tokens would lose digits."""
    return torch.nn.functional.pad(hidden.double().cumsum(dim=1), (0, 0, 1, 0))


def span_means(hidden: torch.Tensor, doc: torch.Tensor, start: torch.Tensor, end: torch.Tensor,
               prefix: torch.Tensor | None = None) -> torch.Tensor:
    """Mean hidden state over token spans. hidden: (b, l, d); doc/start/end: (s,) -> (s, d).

    By prefix sums: O(b*l*d + s*d), where a (s, l) weight matrix would cost s*l*d; pass
    `prefix` (`prefix_sums(hidden)`) to share them between calls. An empty span (end <= start)
    gives zeros.
    """
    prefix = prefix_sums(hidden) if prefix is None else prefix  # (b, l+1, d)
    length = hidden.shape[1]
    start = start.clamp(0, length)
    end = torch.maximum(end.clamp(0, length), start)
    total = prefix[doc, end] - prefix[doc, start]  # (s, d)
    return (total / (end - start).clamp(min=1).unsqueeze(-1)).to(hidden.dtype)


def name_uses(site_vec: torch.Tensor, site_group: torch.Tensor | None, repair_group: torch.Tensor | None,
              n_repairs: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Pooled uses of names, the pointer features that stand in for attention.

    site_vec: (s, d). Returns (other uses of the site's name: (s, d) mean, (s,) log count;
    uses of the repair's name: (r, d) mean, (r,) log count); zeros where there is no name.
    """
    s = site_vec.shape[0]
    if site_group is None or repair_group is None:
        site_group = torch.full((s,), -1, dtype=torch.long, device=site_vec.device)
        repair_group = torch.full((n_repairs,), -1, dtype=torch.long, device=site_vec.device)
    groups = 1 + max(int(site_group.max()) if s else -1, int(repair_group.max()) if n_repairs else -1, 0)
    total, count, other_mean, others = pool_groups(site_vec, site_group, groups)
    proposed = repair_group >= 0  # (r,)
    theirs = repair_group.clamp(min=0)
    uses = torch.where(proposed, count[theirs], torch.zeros_like(count[theirs]))  # (r,)
    use_mean = total[theirs] / uses.clamp(min=1).unsqueeze(-1) * (uses > 0).unsqueeze(-1).to(site_vec.dtype)  # (r, d)
    return other_mean, torch.log1p(others), use_mean, torch.log1p(uses)


def pool_groups(vec: torch.Tensor, group: torch.Tensor, groups: int
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Rows of `vec` (n, d) pooled by `group` (n,), -1 for none: (sum (g, d), count (g,) per
    group; for each row the mean of the OTHER rows of its group (n, d), zeros when there are
    none, and their count (n,))."""
    d = vec.shape[-1]
    member = group >= 0  # (n,)
    total = vec.new_zeros(groups, d).index_add(0, group[member], vec[member])  # (g, d)
    count = vec.new_zeros(groups).index_add(0, group[member], vec.new_ones(int(member.sum())))  # (g,)
    own = group.clamp(min=0)
    others = torch.where(member, count[own] - 1, torch.zeros_like(count[own]))  # (n,)
    other_mean = (total[own] - vec) / others.clamp(min=1).unsqueeze(-1) * (others > 0).unsqueeze(-1).to(vec.dtype)
    return total, count, other_mean, others


def role_features(hidden: torch.Tensor, sites: SiteBatch, prefix: torch.Tensor | None = None) -> torch.Tensor:
    """Role features of swapped-arguments sites: (s, 4d + 2), zeros for other sites.

    Each argument a, b of a candidate swap is matched against the pooled other uses A, B of
    its own role and of the other one (engine/model/roles.py): [a*A, b*B, a*B, b*A] (element-wise
    products, so the head can weigh "fits as written" against "fits swapped"), and the log
    counts of those other uses. hidden: (b, l, d); prefix: its `prefix_sums`, when at hand.
    """
    d = hidden.shape[-1]
    s = int(sites.site_start.shape[0])
    features = hidden.new_zeros(s, 4 * d + 2)
    if sites.role_start is None or sites.role_doc is None or sites.role_end is None or sites.role_group is None \
            or sites.site_role is None or not sites.role_start.numel():
        return features
    role_vec = span_means(hidden, sites.role_doc, sites.role_start, sites.role_end, prefix)  # (u, d)
    _, _, other_mean, others = pool_groups(role_vec, sites.role_group, int(sites.role_group.max()) + 1)  # (u, d), (u,)
    valid = (sites.site_role >= 0).all(dim=1)  # (s,)
    first, second = sites.site_role[:, 0].clamp(min=0), sites.site_role[:, 1].clamp(min=0)  # (s,)
    a, b = role_vec[first], role_vec[second]  # (s, d)
    mean_a, mean_b = other_mean[first], other_mean[second]  # (s, d)
    found = torch.cat([a * mean_a, b * mean_b, a * mean_b, b * mean_a,
                       torch.log1p(others[first]).unsqueeze(-1), torch.log1p(others[second]).unsqueeze(-1)], dim=-1)
    return torch.where(valid.unsqueeze(-1), found, features)  # (s, 4d + 2)


def peer_features(site_vec: torch.Tensor, peer_group: torch.Tensor | None) -> torch.Tensor:
    """Each site against its peers (the same shape elsewhere in its document): (s, 2d + 1) =
    [mean of the peers P, site * P (does it choose as they do?), log count], zeros without peers."""
    s, d = site_vec.shape
    if peer_group is None or not s or int(peer_group.max()) < 0:
        return site_vec.new_zeros(s, 2 * d + 1)
    _, _, peer_mean, peers = pool_groups(site_vec, peer_group, int(peer_group.max()) + 1)  # (s, d), (s,)
    return torch.cat([peer_mean, site_vec * peer_mean, torch.log1p(peers).unsqueeze(-1)], dim=-1)


def grouped_logsumexp(values: torch.Tensor, group: torch.Tensor, groups: int) -> torch.Tensor:
    """log sum exp of `values` (n,) per `group` (n,) -> (groups,); -inf for a group without a
    finite value. Stable: each group's maximum is subtracted first."""
    peak = values.new_full((groups,), float("-inf")).scatter_reduce(0, group, values, "amax").detach()
    safe_peak = torch.where(torch.isfinite(peak), peak, torch.zeros_like(peak))
    total = values.new_zeros(groups).index_add(0, group, torch.exp(values - safe_peak[group]))
    return torch.where(total > 0, safe_peak + torch.log(total.clamp(min=1e-30)), peak)


Logits = tuple[torch.Tensor, torch.Tensor, torch.Tensor]


@dataclass
class SiteFeatures:
    """What every detection head reads from the encoder for a batch's sites and repairs."""

    pooled: torch.Tensor  # (b, d) document mean
    site_vec: torch.Tensor  # (s, d) span mean
    first: torch.Tensor  # (s, d)
    last: torch.Tensor  # (s, d)
    other_mean: torch.Tensor  # (s, d) other uses of the site's name
    others: torch.Tensor  # (s,) log count of those
    span_repr: torch.Tensor  # (r, d) the repair's span in the document (zeros without one)
    token_repr: torch.Tensor  # (r, d) the repair's marker / operator embedding
    use_mean: torch.Tensor  # (r, d) uses of the proposed name
    uses: torch.Tensor  # (r,) log count of those
    site_ctx: torch.Tensor | None = None  # (s, d) the site after attention among its block's sites
    roles: torch.Tensor | None = None  # (s, 4d + 2) argument-role features (`role_features`)
    peers: torch.Tensor | None = None  # (s, 2d + 1) peer features (`peer_features`)
    names: torch.Tensor | None = None  # (s, NAME_FEATURES) argument name likeness (roles.py)


class DetectionHead(nn.Module):
    """One ensemble member: "keep" and repair scores for every site.

    Each site chooses between keeping its text and each of its repairs (ELECTRA-style: every
    site of a training window is labelled). P(bug at a site) = 1 - P(keep); its log-odds are
    the site's localisation logit, and the document's no-bug logit is a learned bias plus
    log(number of sites): with at most one bug per document, a softmax over [site log-odds...,
    no-bug] is then the posterior under a prior spread evenly over the sites. A document of
    fewer than `config.no_bug_min_sites` sites counts as that many: its chance of a bug falls
    in proportion to its size.
    """

    def __init__(self, config: TheaM2Config) -> None:
        super().__init__()
        d = self.hidden_size = config.hidden_size
        self.kind_embedding = nn.Embedding(config.num_site_kinds, d)
        mixed = 1 if config.site_mixer_layers else 0  # + the site after the site mixer
        extra = (4 * d + 2 if config.argument_roles else 0) + (2 * d + 1 if config.peer_groups else 0) \
            + (NAME_FEATURES if config.argument_names else 0)  # roles, peers, names
        # keep: span mean (+ kind), first and last token, other uses of its name, document; + 1 count
        self.localize = nn.Sequential(nn.Linear((5 + mixed) * d + 1 + extra, d), nn.GELU(), nn.Linear(d, 1))
        self.no_bug_bias = nn.Parameter(torch.zeros(1))
        self.config = config  # the model's own: `no_bug_min_sites` is read as it is at each call
        # repair: site, its name's other uses, the repair's span, token, and its name's uses; + 2 counts
        self.repair = nn.Sequential(nn.Linear((5 + mixed) * d + 2 + extra, d), nn.GELU(), nn.Linear(d, 1))

    def forward(self, f: SiteFeatures, sites: SiteBatch) -> Logits:
        """(site_logits (s,) = log P(bug here) - log P(keep), no_bug_logits (b,), repair_logits (r,))."""
        site_repr = f.site_vec + self.kind_embedding(sites.site_kind)  # (s, d)
        owner = sites.repair_site
        context = [c for c in (f.site_ctx, f.roles, f.peers, f.names) if c is not None]
        keep_logits = self.localize(torch.cat(
            [site_repr, f.first, f.last, f.other_mean, f.pooled[sites.site_doc], *context, f.others.unsqueeze(-1)],
            dim=-1)).squeeze(-1)
        repair_logits = self._repair_logits(
            torch.cat([site_repr, f.other_mean, *context, f.others.unsqueeze(-1)], dim=-1),
            torch.cat([f.span_repr, f.token_repr, f.use_mean, f.uses.unsqueeze(-1)], dim=-1), owner)  # (r,)
        n_sites = int(sites.site_start.shape[0])
        site_logits = grouped_logsumexp(repair_logits, owner, n_sites) - keep_logits  # (s,)
        b = f.pooled.shape[0]
        site_count = f.pooled.new_zeros(b).index_add(0, sites.site_doc, f.pooled.new_ones(n_sites))  # (b,)
        no_bug_logits = self.no_bug_bias + torch.log(site_count.clamp(min=self.config.no_bug_min_sites))  # (b,)
        return site_logits, no_bug_logits, repair_logits


    def _repair_logits(self, site_part: torch.Tensor, repair_part: torch.Tensor, owner: torch.Tensor) -> torch.Tensor:
        """self.repair over [site_repr, other_mean, span_repr, token_repr, use_mean, *context, others, uses]
        of each repair, without building those rows: the first layer is linear, so the columns
        of the site's own inputs are applied once per site (s, 2d + c + 1) and gathered to its
        repairs, and only the repair's columns (r, 3d + 1) per repair (there are several
        repairs a site, up to 12 names)."""
        first, activation, last = self.repair
        weight, d = first.weight, self.hidden_size  # weight: (d, 2d + 3d + c + 2)
        of_site = torch.cat([weight[:, :2 * d], weight[:, 5 * d:-1]], dim=1)  # (d, 2d + c + 1)
        of_repair = torch.cat([weight[:, 2 * d:5 * d], weight[:, -1:]], dim=1)  # (d, 3d + 1)
        hidden = torch.nn.functional.linear(site_part, of_site)[owner] \
            + torch.nn.functional.linear(repair_part, of_repair, first.bias)  # (r, d)
        return last(activation(hidden)).squeeze(-1)


class TheaM2ForBugDetection(TheaM2PreTrainedModel):
    """The encoder and `config.ensemble_heads` detection heads: one forward pass of the encoder
    serves every member of the ensemble."""

    def __init__(self, config: TheaM2Config) -> None:
        super().__init__(config)
        self.m2 = TheaM2Model(config)
        self.heads = nn.ModuleList(DetectionHead(config) for _ in range(config.ensemble_heads))
        if config.site_mixer_layers:
            self.site_kind_embedding = nn.Embedding(config.num_site_kinds, config.hidden_size)
            self.site_mixer = SiteMixer(config.hidden_size, config.site_mixer_layers, config.site_mixer_heads,
                                        config.site_mixer_block)
        self.post_init()

    def features(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, sites: SiteBatch) -> SiteFeatures:
        hidden = self.m2(input_ids, attention_mask)  # (b, l, d)
        length = hidden.shape[1]
        mask = attention_mask.to(hidden.dtype).unsqueeze(-1)  # (b, l, 1)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)  # (b, d)
        prefix = prefix_sums(hidden)  # (b, l+1, d), shared by every span mean below
        site_vec = span_means(hidden, sites.site_doc, sites.site_start, sites.site_end, prefix)  # (s, d)
        first = hidden[sites.site_doc, sites.site_start.clamp(0, length - 1)]  # (s, d)
        last = hidden[sites.site_doc, (sites.site_end - 1).clamp(0, length - 1)]  # (s, d)
        n_repairs = int(sites.repair_site.shape[0])
        site_ctx = None
        if self.config.site_mixer_layers:
            site_ctx = self.site_mixer(site_vec + self.site_kind_embedding(sites.site_kind), sites.site_doc)  # (s, d)
        # a name's uses pooled after the site mixer when there is one: each use then knows its neighbours
        named = site_vec if site_ctx is None else site_ctx
        other_mean, others, use_mean, uses = name_uses(named, sites.site_group, sites.repair_group, n_repairs)
        repair_doc = sites.site_doc[sites.repair_site]  # (r,)
        has_span = sites.repair_start >= 0
        span_repr = span_means(hidden, repair_doc, sites.repair_start.clamp(min=0), sites.repair_end.clamp(min=0), prefix)
        span_repr = span_repr * has_span.unsqueeze(-1).to(hidden.dtype)  # (r, d)
        token_repr = self.m2.embeddings(sites.repair_token)  # (r, d)
        roles = role_features(hidden, sites, prefix) if self.config.argument_roles else None  # (s, 4d + 2)
        peers = peer_features(site_vec, sites.peer_group) if self.config.peer_groups else None
        names = None
        if self.config.argument_names:
            names = hidden.new_zeros(int(sites.site_start.shape[0]), NAME_FEATURES) if sites.site_role_names is None \
                else sites.site_role_names.to(hidden.dtype)  # (s, NAME_FEATURES)
        return SiteFeatures(pooled, site_vec, first, last, other_mean, others, span_repr, token_repr, use_mean, uses,
                            site_ctx, roles, peers, names)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, sites: SiteBatch) -> list[Logits]:
        """One (site_logits (s,), no_bug_logits (b,), repair_logits (r,)) per ensemble head."""
        f = self.features(input_ids, attention_mask, sites)
        return [head(f, sites) for head in self.heads]


# The Auto classes find the model by its config's model_type once this module is imported:
# AutoConfig/AutoModel.from_pretrained(<checkpoint dir>) then load the encoder, with no
# `trust_remote_code` (no code is ever read from a model directory).
AutoConfig.register(TheaM2Config.model_type, TheaM2Config, exist_ok=True)
AutoModel.register(TheaM2Config, TheaM2Model, exist_ok=True)


def set_no_bug_min_sites(models: list[TheaM2ForBugDetection], min_sites: int) -> None:
    """Give trained models another `no_bug_min_sites` (their detection heads share the config): a
    prior for whole documents, chosen after the temperatures and before the threshold (calibrate())."""
    for model in models:
        model.config.no_bug_min_sites = min_sites
