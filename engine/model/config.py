"""Configuration of Thea's M2-BERT (Monarch Mixer BERT) bug detector.

Follows Fu et al., "Monarch Mixer: A Simple Sub-Quadratic GEMM-Based Architecture"
(NeurIPS 2023) and the HazyResearch m2 reference: a BERT whose attention is replaced by a
gated, bidirectional long convolution with implicit (Hyena-style) filters, and whose MLP is a
GLU of block-diagonal (Monarch) matrices.
"""

from __future__ import annotations

from typing import Any

from transformers import PretrainedConfig


class TheaM2Config(PretrainedConfig):
    model_type = "thea-m2-bert"

    def __init__(
        self,
        vocab_size: int = 8192,
        hidden_size: int = 128,
        num_hidden_layers: int = 4,
        intermediate_size: int = 256,
        nblocks: int = 4,
        max_position_embeddings: int = 32768,
        hyena_filter_order: int = 32,
        hyena_emb_dim: int = 5,
        hyena_filter_scale: int = 2048,
        hyena_normalized_filters: bool = True,
        short_conv_kernel: int = 3,
        residual_long_conv: bool = True,
        bidirectional: bool = True,
        hidden_dropout_prob: float = 0.1,
        layer_norm_eps: float = 1e-12,
        pad_token_id: int = 0,
        num_site_kinds: int = 8,
        ensemble_heads: int = 3,
        site_mixer_layers: int = 0,
        site_mixer_heads: int = 4,
        site_mixer_block: int = 256,
        argument_roles: bool = False,
        peer_groups: bool = False,
        argument_names: bool = False,
        no_bug_min_sites: int = 1,
        **kwargs: Any,
    ) -> None:
        super().__init__(pad_token_id=pad_token_id, **kwargs)
        if not isinstance(no_bug_min_sites, int) or no_bug_min_sites < 1:
            raise ValueError(f"no_bug_min_sites must be an integer >= 1, not {no_bug_min_sites!r}")
        if hidden_size % nblocks or intermediate_size % nblocks:
            raise ValueError("hidden_size and intermediate_size must be multiples of nblocks")
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.intermediate_size = intermediate_size
        self.nblocks = nblocks
        self.max_position_embeddings = max_position_embeddings
        self.hyena_filter_order = hyena_filter_order
        self.hyena_emb_dim = hyena_emb_dim
        self.hyena_filter_scale = hyena_filter_scale  # positions per unit of filter time
        # L1-normalised long-conv filters (engine/model/hyena_filter.py says why); M2-BERT's are not
        self.hyena_normalized_filters = hyena_normalized_filters
        self.short_conv_kernel = short_conv_kernel
        self.residual_long_conv = residual_long_conv
        self.bidirectional = bidirectional
        self.hidden_dropout_prob = hidden_dropout_prob
        self.layer_norm_eps = layer_norm_eps
        self.num_site_kinds = num_site_kinds
        # detection heads over the one encoder, each initialised apart: the ensemble members
        self.ensemble_heads = ensemble_heads
        # attention among the candidate sites, in blocks of consecutive sites (site_mixer.py); 0: none
        self.site_mixer_layers = site_mixer_layers
        self.site_mixer_heads = site_mixer_heads
        self.site_mixer_block = site_mixer_block
        # swapped-arguments sites matched against the other uses of their arguments' roles (roles.py)
        self.argument_roles = argument_roles
        # operator, literal and negation sites compared with their peers: the same shape elsewhere (sites.py)
        self.peer_groups = peer_groups
        # swapped-arguments sites: how alike their arguments' names are to those of each role's
        # other uses, as written and swapped (roles.py, `NAME_FEATURES`)
        self.argument_names = argument_names
        # The no-bug slot of the localisation softmax is a bias plus log(max(sites, this)): the
        # same prior of a bug for every document of at least this many sites, and for a smaller
        # one a prior in proportion to its sites (a five-line file holds fewer bugs than a
        # training window). 1: the same prior for all; very large: a prior per site throughout.
        self.no_bug_min_sites = no_bug_min_sites

    @classmethod
    def m2_bert_80m_32k(cls, **overrides: Any) -> TheaM2Config:
        """The published m2-bert-80M-32k shape (its weights cannot be had here)."""
        shape: dict[str, Any] = dict(
            vocab_size=30528,
            hidden_size=768,
            num_hidden_layers=12,
            intermediate_size=3072,
            nblocks=4,
            max_position_embeddings=32768,
            hyena_filter_order=128,
            hyena_normalized_filters=False,
        )
        shape.update(overrides)
        return cls(**shape)
