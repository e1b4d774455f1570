"""A document's sites and repairs as token spans: what the model sees.

`featurize` maps the byte spans of engine/model/sites.py onto tokens of one document;
`DocFeatures.window` crops it to a token window (training examples); `collate` pads a batch
into the model's inputs (`SiteBatch`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import torch

from engine.model.modeling import SiteBatch
from engine.model.roles import NAME_FEATURES, RoleUse, swap_name_features
from engine.model.sites import KIND_INDEX, VARIABLE, Site
from engine.model.tokenizer import Encoded

FORMAT = 6  # the version of DocFeatures: cached training data is keyed by it (2: name groups, 3: site labels, 4: roles, 5: peers,
# 6: role names)


@dataclass(frozen=True, slots=True)
class DocFeatures:
    """ids: (l,); site_start/site_end/site_kind: (s,); repair_site/repair_start/repair_end/
    repair_token: (r,), repair_start = -1 when the repair has no span in the document.
    target_site/target_repair: indices into the sites / repairs, -1 for a clean document.
    site_group (s,) / repair_group (r,): for names, the document's id of the identifier used at
    the site / proposed by the repair (sites sharing an id are uses of one name), else -1;
    None reads as all -1.
    site_label (s,): for a document with several injected bugs (training), the index into the
    repairs of the repair that undoes the bug at each site, -1 at a clean site; None: derived
    from target_site/target_repair (one bug at most).
    role_start/role_end/role_group (u,): the token spans of the document's argument-role uses
    (engine/model/roles.py) and the id of each one's role; site_role (s, 2): for a
    swapped-arguments site, the indices into those uses of its two arguments, else -1.
    None reads as no roles.
    peer_group (s,): the document's id of a site's peer key (engine/model/sites.py), -1 for
    none; None reads as all -1.
    site_role_names (s, NAME_FEATURES): for a swapped-arguments site, how alike its arguments'
    names are to those of the other uses of each role, in the whole document (roles.py,
    `swap_name_features`), zeros elsewhere; None reads as zeros.
    """

    ids: torch.Tensor
    site_start: torch.Tensor
    site_end: torch.Tensor
    site_kind: torch.Tensor
    repair_site: torch.Tensor
    repair_start: torch.Tensor
    repair_end: torch.Tensor
    repair_token: torch.Tensor
    target_site: int = -1
    target_repair: int = -1
    site_group: torch.Tensor | None = None
    repair_group: torch.Tensor | None = None
    site_label: torch.Tensor | None = None
    role_start: torch.Tensor | None = None
    role_end: torch.Tensor | None = None
    role_group: torch.Tensor | None = None
    site_role: torch.Tensor | None = None
    peer_group: torch.Tensor | None = None
    site_role_names: torch.Tensor | None = None

    def labels(self) -> torch.Tensor:
        """(s,) the undoing repair's index at each buggy site, -1 elsewhere."""
        if self.site_label is not None:
            return self.site_label
        labels = torch.full_like(self.site_start, -1)
        if self.target_site >= 0:
            labels[self.target_site] = self.target_repair
        return labels

    def groups(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(site_group, repair_group), all -1 when the features have none."""
        if self.site_group is None or self.repair_group is None:
            return torch.full_like(self.site_start, -1), torch.full_like(self.repair_site, -1)
        return self.site_group, self.repair_group

    def peers(self) -> torch.Tensor:
        """peer_group, all -1 when the features have none."""
        return torch.full_like(self.site_start, -1) if self.peer_group is None else self.peer_group

    def role_names(self) -> torch.Tensor:
        """site_role_names, zeros when the features have none."""
        if self.site_role_names is None:
            return torch.zeros(int(self.site_start.shape[0]), NAME_FEATURES)
        return self.site_role_names

    def roles(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """(role_start, role_end, role_group, site_role), empty / all -1 without roles."""
        if self.role_start is None or self.role_end is None or self.role_group is None or self.site_role is None:
            empty = self.site_start.new_zeros(0)
            return empty, empty, empty, torch.full((int(self.site_start.shape[0]), 2), -1, dtype=self.site_start.dtype)
        return self.role_start, self.role_end, self.role_group, self.site_role

    def window(self, start: int, end: int) -> DocFeatures | None:
        """The tokens [start, end) and the sites inside them; None when the target falls outside."""
        keep = (self.site_start >= start) & (self.site_end <= end)  # (s,)
        if self.target_site >= 0 and not bool(keep[self.target_site]):
            return None
        new_index = torch.cumsum(keep.long(), 0) - 1  # (s,) old site -> new site
        repair_keep = keep[self.repair_site]  # (r,)
        new_repair = torch.cumsum(repair_keep.long(), 0) - 1  # (r,) old repair -> new repair
        site_label = None
        if self.site_label is not None:
            labels = self.site_label[keep]
            site_label = torch.where(labels >= 0, new_repair[labels.clamp(min=0)], labels)
        inside = (self.repair_start >= start) & (self.repair_end <= end)
        repair_start = torch.where(inside, self.repair_start - start, torch.full_like(self.repair_start, -1))
        repair_end = torch.where(inside, self.repair_end - start, torch.full_like(self.repair_end, -1))
        target_site = int(new_index[self.target_site]) if self.target_site >= 0 else -1
        target_repair = int(new_repair[self.target_repair]) if self.target_repair >= 0 else -1
        site_group, repair_group = self.groups()
        role_start, role_end, role_group, site_role = self.roles()
        role_keep = (role_start >= start) & (role_end <= end)  # (u,)
        new_role = torch.cumsum(role_keep.long(), 0) - 1  # (u,) old use -> new use
        old_role = site_role[keep]  # (s', 2)
        site_role = torch.full_like(old_role, -1)
        if role_keep.numel():  # a pair whose argument left the window (it cannot, for a kept site) is dropped whole
            valid = ((old_role >= 0) & role_keep[old_role.clamp(min=0)]).all(dim=1, keepdim=True)  # (s', 1)
            site_role = torch.where(valid, new_role[old_role.clamp(min=0)], site_role)
        return DocFeatures(
            self.ids[start:end],
            self.site_start[keep] - start,
            self.site_end[keep] - start,
            self.site_kind[keep],
            new_index[self.repair_site][repair_keep],
            repair_start[repair_keep],
            repair_end[repair_keep],
            self.repair_token[repair_keep],
            target_site,
            target_repair,
            site_group[keep],
            repair_group[repair_keep],
            site_label,
            role_start[role_keep] - start,
            role_end[role_keep] - start,
            role_group[role_keep],
            site_role,
            self.peers()[keep],
            self.role_names()[keep],
        )


def featurize(encoded: Encoded, sites: list[Site], markers: dict[str, int],
              target: tuple[int, int] | None = None, targets: list[tuple[int, int]] | None = None,
              roles: list[RoleUse] | None = None, names: bool = True) -> DocFeatures:
    """Token-level features of a document; `target` = (site index, repair index) of its bug,
    or `targets`: those of its several bugs (then the features carry `site_label`); `roles`:
    the document's argument-role uses (engine/model/roles.py), None for none; `names`: with the
    argument-name features of the roles (training data carries them; a model that does not read
    them need not pay for them)."""
    site_rows, repair_rows = [], []
    target_repair = -1
    group_of: dict[str, int] = {}  # a name used at some site -> its group id
    for site in sites:
        if site.name:
            group_of.setdefault(site.name, len(group_of))
    peer_of: dict[str, int] = {}  # a peer key -> its group id
    peer_rows = [peer_of.setdefault(site.peer, len(peer_of)) if site.peer else -1 for site in sites]
    first_repair: list[int] = []  # per site, the index of its first repair
    for index, site in enumerate(sites):
        first_repair.append(len(repair_rows))
        first, last = encoded.token_span(site.start, site.end)
        site_rows.append((first, last, KIND_INDEX[site.kind], group_of.get(site.name, -1) if site.name else -1))
        for repair_index, repair in enumerate(site.repairs):
            if target is not None and target == (index, repair_index):
                target_repair = len(repair_rows)
            span = encoded.token_span(*repair.span) if repair.span is not None else (-1, -1)
            group = group_of.get(repair.edit.text, -1) if repair.marker == VARIABLE else -1
            repair_rows.append((index, span[0], span[1], markers[repair.marker], group))
    sites_t = torch.tensor(site_rows, dtype=torch.long).reshape(-1, 4)
    repairs_t = torch.tensor(repair_rows, dtype=torch.long).reshape(-1, 5)
    site_label = None
    if targets is not None:
        site_label = torch.full((len(sites),), -1, dtype=torch.long)
        for site_index, repair_index in targets:
            site_label[site_index] = first_repair[site_index] + repair_index
    return DocFeatures(
        encoded.ids, sites_t[:, 0], sites_t[:, 1], sites_t[:, 2],
        repairs_t[:, 0], repairs_t[:, 1], repairs_t[:, 2], repairs_t[:, 3],
        target[0] if target is not None else -1, target_repair, sites_t[:, 3], repairs_t[:, 4], site_label,
        *(_role_features(encoded, sites, roles) if roles is not None else (None, None, None, None)),
        torch.tensor(peer_rows, dtype=torch.long),
        _role_name_features(sites, roles) if roles is not None and names else None,
    )


def _role_features(encoded: Encoded, sites: list[Site], roles: list[RoleUse]) -> tuple[torch.Tensor, ...]:
    """(role_start, role_end, role_group, site_role) of `featurize`."""
    group_of: dict[str, int] = {}
    rows = []
    for use in roles:
        first, last = encoded.token_span(use.start, use.end)
        rows.append((first, last, group_of.setdefault(use.key, len(group_of))))
    site_role = [pair or (-1, -1) for pair in _swap_arguments(sites, roles)]
    table = torch.tensor(rows, dtype=torch.long).reshape(-1, 3)
    return table[:, 0], table[:, 1], table[:, 2], torch.tensor(site_role, dtype=torch.long).reshape(-1, 2)


def _role_name_features(sites: list[Site], roles: list[RoleUse]) -> torch.Tensor:
    """site_role_names of `featurize`: (s, NAME_FEATURES)."""
    uses_of: dict[tuple[str, bool], list[int]] = {}
    for index, use in enumerate(roles):
        uses_of.setdefault((use.key, use.argument), []).append(index)
    rows = torch.zeros(len(sites), NAME_FEATURES)
    for row, pair in enumerate(_swap_arguments(sites, roles)):
        if pair is not None:
            rows[row] = torch.tensor(swap_name_features(roles, uses_of, *pair))
    return rows


def _swap_arguments(sites: list[Site], roles: list[RoleUse]) -> list[tuple[int, int] | None]:
    """For each site, the indices into `roles` of a swapped-arguments site's two arguments, else None."""
    # a swap site runs from its first argument's start to its second's end; argument spans
    # are unique among arguments (an argument nested in another starts after its call's "(")
    by_start = {use.start: index for index, use in enumerate(roles) if use.argument}
    by_end = {use.end: index for index, use in enumerate(roles) if use.argument}
    pairs: list[tuple[int, int] | None] = []
    for site in sites:
        first, second = (by_start.get(site.start), by_end.get(site.end)) if site.kind == "swapped-arguments" else (None, None)
        pairs.append((first, second) if first is not None and second is not None else None)
    return pairs


@dataclass(frozen=True, slots=True)
class Batch:
    input_ids: torch.Tensor  # (b, l)
    attention_mask: torch.Tensor  # (b, l)
    sites: SiteBatch
    target_site: torch.Tensor  # (b,) global site index, -1 = no bug
    target_repair: torch.Tensor  # (b,) global repair index, -1 = no bug
    site_offsets: torch.Tensor  # (b+1,) the sites of document i are site_offsets[i]:site_offsets[i+1]
    repair_offsets: torch.Tensor  # (b+1,)
    site_label: torch.Tensor  # (s,) global index of the repair undoing the bug at a site, -1 = clean

    def to(self, device: torch.device | str) -> Batch:
        """The same batch with every tensor on `device` (training on an accelerator)."""
        moved = {f.name: getattr(self, f.name) for f in fields(self)}
        site_parts = {f.name: getattr(self.sites, f.name) for f in fields(self.sites)}
        moved["sites"] = SiteBatch(**{k: v.to(device) if v is not None else None for k, v in site_parts.items()})
        return Batch(**{k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in moved.items()})


def collate(docs: list[DocFeatures], tokens: bool = True) -> Batch:
    """One batch of `docs`, sites, repairs, roles and groups numbered batch-wide; `tokens` False
    keeps no tokens (input_ids and attention_mask (b, 0)): for what reads only the site-level
    parts, such as the calibration fit over every validation document at once."""
    length = max(1, max(int(doc.ids.shape[0]) for doc in docs)) if tokens else 0
    input_ids = torch.zeros(len(docs), length, dtype=torch.long)
    attention_mask = torch.zeros(len(docs), length, dtype=torch.long)
    parts: dict[str, list[torch.Tensor]] = {name: [] for name in (
        "site_doc", "site_start", "site_end", "site_kind", "repair_site", "repair_start", "repair_end", "repair_token",
        "site_group", "repair_group", "role_doc", "role_start", "role_end", "role_group", "site_role", "peer_group",
        "site_role_names")}
    target_site, target_repair, site_offsets, repair_offsets, site_labels = [], [], [0], [0], []
    groups = 0  # group ids are made global to the batch, as site and repair indices are
    roles, role_groups = 0, 0  # and so are role uses and their groups
    peer_groups = 0  # and peer groups
    for index, doc in enumerate(docs):
        if tokens:
            n = int(doc.ids.shape[0])
            input_ids[index, :n] = doc.ids
            attention_mask[index, :n] = 1
        s0, r0 = site_offsets[-1], repair_offsets[-1]
        parts["site_doc"].append(torch.full_like(doc.site_start, index))
        parts["site_start"].append(doc.site_start)
        parts["site_end"].append(doc.site_end)
        parts["site_kind"].append(doc.site_kind)
        parts["repair_site"].append(doc.repair_site + s0)
        parts["repair_start"].append(doc.repair_start)
        parts["repair_end"].append(doc.repair_end)
        parts["repair_token"].append(doc.repair_token)
        site_group, repair_group = doc.groups()
        parts["site_group"].append(torch.where(site_group >= 0, site_group + groups, site_group))
        parts["repair_group"].append(torch.where(repair_group >= 0, repair_group + groups, repair_group))
        groups += 1 + max(int(site_group.max()) if site_group.numel() else -1,
                          int(repair_group.max()) if repair_group.numel() else -1)
        role_start, role_end, role_group, site_role = doc.roles()
        parts["role_doc"].append(torch.full_like(role_start, index))
        parts["role_start"].append(role_start)
        parts["role_end"].append(role_end)
        parts["role_group"].append(role_group + role_groups)
        parts["site_role"].append(torch.where(site_role >= 0, site_role + roles, site_role))
        roles += int(role_start.shape[0])
        role_groups += 1 + (int(role_group.max()) if role_group.numel() else -1)
        peer_group = doc.peers()
        parts["peer_group"].append(torch.where(peer_group >= 0, peer_group + peer_groups, peer_group))
        peer_groups += 1 + (int(peer_group.max()) if peer_group.numel() else -1)
        parts["site_role_names"].append(doc.role_names().float())
        labels = doc.labels()
        site_labels.append(torch.where(labels >= 0, labels + r0, labels))
        target_site.append(doc.target_site + s0 if doc.target_site >= 0 else -1)
        target_repair.append(doc.target_repair + r0 if doc.target_repair >= 0 else -1)
        site_offsets.append(s0 + int(doc.site_start.shape[0]))
        repair_offsets.append(r0 + int(doc.repair_site.shape[0]))
    sites = SiteBatch(**{name: torch.cat(values) for name, values in parts.items()})
    return Batch(input_ids, attention_mask, sites, torch.tensor(target_site), torch.tensor(target_repair),
                 torch.tensor(site_offsets), torch.tensor(repair_offsets), torch.cat(site_labels))
