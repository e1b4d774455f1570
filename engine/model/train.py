"""`thea train`: reproduce the shipped detector from the corpus, on CPU.

    thea train [--corpus DIR] [--out DIR] [--steps N] [--seed N] ...

Stages, each cached under --cache (delete it to rebuild): the tokenizer (training packages
only), whole training documents with injected bugs (every site labelled; windows are cut
from them afresh each epoch), whole validation documents, and mutants of some validation files
for the loss monitor (engine/model/monitor.py). Then AdamW (warm-up, one cosine cycle) on the
encoder and its ensemble of detection heads, logging the held-out loss beside the training
loss, temperature scaling and the threshold on validation, and the checkpoint directory with
its log and model card.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import math
import random
import shutil
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Sequence

import torch
from tokenizers import Tokenizer

from engine.linter import RuleSet
from engine.model.calibration import calibrate
from engine.model.arguments import (average_decay, check_corpus, fraction, non_negative_float, non_negative_int, positive_float,
                                   positive_int)
from engine.model.checkpoint import Calibration, load_detector, member_dirs, save_calibration, save_detector
from engine.model.compiled import compiled_encoder, cxx_compiler, describe_steps, wanted_compiler
from engine.model.config import TheaM2Config
from engine.model.dataset import (VALIDATION_PACKAGES, Document, corpus_path, cut_windows, documents, split_files, token_batches,
                                  training_documents)
from engine.model.features import FORMAT, DocFeatures, collate
from engine.model.machine import describe_machine
from engine.model.model_card import CARD_FILE, describe_members, describe_stages, write_model_card
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.monitor import LossMonitor
from engine.model.scoring import POINTERS, loss
from engine.model.tokenizer import train_tokenizer
from engine.model.weight_average import WeightAverages

logger = logging.getLogger("engine.model.train")  # not "__main__" under `python -m`
VALIDATION_TOKENS = 32768  # whole validation files up to the context length
NO_BUG_MIN_SITES = 52  # about the candidate sites of a 512-token training window (0.10 per token in the corpus)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thea train", description="Train the ML bug detector on CPU.")
    parser.add_argument("--corpus", type=Path, default=Path(".cache/corpus-wide/corpus"),
                        help="built by `python -m engine.model.corpus build` from corpus/packages.txt")
    parser.add_argument("--out", type=Path, default=Path("models/thea-m2-detector"))
    parser.add_argument("--cache", type=Path, default=Path(".cache/ml"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=positive_int, default=10000,  # 74 minutes compiled at 0.39-0.46 s a step (model card)
                        help="optimizer steps in all (10,000, the shipped recipe, compiled: about 74 minutes on 2 "
                             "cores; 8,000 eager trained the weights shipped before, 19.2%% loc+repair on the test "
                             "split as these, with 9 false alarms against 6)")
    parser.add_argument("--members", type=positive_int, default=3, help="ensemble members (detection heads over one encoder)")
    parser.add_argument("--hidden", type=positive_int, default=128)
    parser.add_argument("--layers", type=positive_int, default=4)
    parser.add_argument("--vocab", type=positive_int, default=8192)
    parser.add_argument("--train-window", type=positive_int, default=512,
                        help="windows cut afresh each epoch, in tokens (512, the shipped recipe: a full-length run at "
                             "1024, closer to a test file's whole-document softmax, stepped 0.64 s against 0.54, was "
                             "cut by the clock at step 7,011, and on the test split top site+repair fell 38.7%% -> "
                             "35.1%%, on files of 101-400 sites too, loc+repair 19.2%% -> 16.6%%)")
    parser.add_argument("--batch-tokens", type=positive_int, default=4096)
    parser.add_argument("--lr", type=positive_float, default=3e-3)
    parser.add_argument("--dropout", type=fraction, default=0.0,
                        help="on embeddings, mixer outputs and the GLU (0.1 memorised less, but was no better held out at full scale)")
    parser.add_argument("--filter-scale", type=positive_int, default=256, help="positions per unit of Hyena filter time")
    parser.add_argument("--per-kb", type=positive_float, default=5.0,
                        help="injected bugs per KB of a training mutant (5, the shipped recipe: a full-length run at 2 "
                             "with --clean-versions 1 stopped learning after about 2,000 steps, and on the test split "
                             "top site+repair fell 38.7%% -> 16.5%% with nothing reported at its threshold)")
    parser.add_argument("--pick", choices=("kinds", "sites"), default="sites",
                        help="injected bugs: sites drawn uniformly (each kind in proportion to its sites), or kinds balanced")
    parser.add_argument("--versions", type=positive_int, default=2, help="mutants of each training file")
    parser.add_argument("--clean-versions", type=non_negative_int, default=0,
                        help="unmutated copies of each training file beside its mutants (0, the shipped recipe: "
                             "almost every training window then holds bugs; see --per-kb for a full-length run with 1)")
    parser.add_argument("--max-files", type=non_negative_int, default=0, help="use at most N training files (0: all)")
    parser.add_argument("--threads", type=positive_int, default=2)
    parser.add_argument("--device", default="cpu", help="where the training steps run (cpu, or cuda when a GPU is lent); "
                        "calibration and the checkpoint are always on CPU")
    parser.add_argument("--compile", action=argparse.BooleanOptionalAction, default=None,
                        help="run the encoder's training steps through torch.compile (compiled.py: steps about a fifth "
                             "faster on 2 cores; rounds differently from eager steps, so the weights differ); default: "
                             "when a C++ compiler ($CXX, else g++) is on the PATH")
    parser.add_argument("--argument-roles", action=argparse.BooleanOptionalAction, default=True,
                        help="match swapped-arguments sites against the other uses of their argument roles (roles.py)")
    parser.add_argument("--peer-groups", action=argparse.BooleanOptionalAction, default=False,
                        help="compare operator, literal and negation sites with their peers, the same shape elsewhere "
                             "(sites.py; not in the shipped recipe: tried once, no gain at this budget)")
    parser.add_argument("--argument-names", action=argparse.BooleanOptionalAction, default=False,
                        help="tell the swapped-arguments sites how alike their arguments' names are to those of the "
                             "callee's parameters and other calls' arguments, as written and swapped (roles.py; not in "
                             "the shipped recipe: at full length it finds the planted swap fixture, 0.99, and swapped-arguments "
                             "rise 31%% -> 35%% top site, but all kinds fall 25.1%% -> 24.6%% and test false alarms rise "
                             "0.06 -> 0.14 per 1,000 lines)")
    parser.add_argument("--site-mixer-layers", type=non_negative_int, default=0,
                        help="attention layers among candidate sites (0: none, the shipped recipe: a full-length run with 2 "
                             "layers, its steps about 8%% longer, ended at a loss per site of 0.440 held out and 0.386 "
                             "on training files, against 0.377 and 0.305 without, and test loc+repair fell 19.2%% -> 12.7%%)")
    parser.add_argument("--pointer", choices=POINTERS, default="any-bug",
                        help="the localisation term of a training window's loss: -log P(one of its bugs' sites) "
                             "(any-bug, the shipped recipe), or the sum over its bugs of -log P(that site) against "
                             "the clean sites and the no-bug slot (each-bug: every bug a single-bug example, as at "
                             "test time; not in the shipped recipe: at full length, test top site+repair 38.6%% "
                             "against 38.7%%, loc+repair 15.7%% against 19.2%%, variable misuse 32.1%% against "
                             "36.2%%, negation 46.1%% against 41.1%%, 10 false alarms at its threshold 0.65)")
    parser.add_argument("--average-decays", type=average_decay, nargs="*", default=[], metavar="DECAY",
                        help="keep exponential moving averages of the weights with these decays (0.999: about the "
                             "last 1,000 steps) and ship whichever of them, or the last step's weights, has the lowest "
                             "loss on the monitor's held-out windows (none, the shipped recipe: at full length an average "
                             "of about the last 800 steps read 0.3753 held out against 0.3770, but on the test split top "
                             "site+repair was 36.5%% and loc+repair 18.7%%, against the shipped 38.7%% and 19.2%%)")
    stage = parser.add_mutually_exclusive_group()
    stage.add_argument("--prepare-only", action="store_true", help="build the cached tokenizer and documents, then stop")
    stage.add_argument("--no-calibrate", action="store_true",
                       help="save the trained weights uncalibrated (T=1, threshold 0.5): `--calibrate-only` later")
    stage.add_argument("--calibrate-only", action="store_true",
                       help="recalibrate the detector in --out on the validation split as it is now; weights unchanged")
    parser.add_argument("--calibration-tokens", type=positive_int, default=8192)
    parser.add_argument("--monitor-every", type=non_negative_int, default=1000,
                        help="log the loss on held-out and on training windows every N steps (0: only at the end)")
    parser.add_argument("--monitor-files", type=positive_int, default=200, help="validation files mutated for that held-out loss")
    parser.add_argument("--max-minutes", type=non_negative_float, default=0,
                        help="a time budget for the training steps (0: none): the schedule anneals by the steps or the "
                             "clock, whichever runs out first; a run that the clock cuts is no longer reproducible")
    parser.add_argument("--no-bug-min-sites", type=positive_int, default=NO_BUG_MIN_SITES,
                        help="a whole document of fewer candidate sites gets a prior of a bug in proportion to its sites "
                             "(default: about the sites of a 512-token training window; 1: the same prior for every "
                             "document, the recipe before 2026-11-27); set after the training steps and the temperatures, "
                             "before the threshold, so --calibrate-only can change it")
    parser.add_argument("--alarms-per-kloc", type=positive_float, default=0.1,
                        help="threshold: the 95%% upper bound of the alarm rate on clean validation code stays within it")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    check_corpus(parser, args.corpus)
    if args.compile is None:
        args.compile = cxx_compiler() is not None
    elif args.compile and cxx_compiler() is None:
        parser.error(f"--compile: no C++ compiler on the PATH ({wanted_compiler()}, or $CXX); install one or pass --no-compile")
    # everything is written to a staging directory swapped in at the end: the shipped
    # checkpoint is never half-written, and an interrupted run leaves it as it was
    final_out = args.out
    args.out = final_out.with_name(final_out.name + ".partial")
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    _log_to(args.out / "train.log")
    started = time.monotonic()
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    make_reproducible(args.threads, args.device)
    logger.info("thea train %s", json.dumps({k: str(v) for k, v in {**vars(args), "out": final_out}.items()}))
    logger.info("machine: %s", describe_machine(args.device, args.threads))
    logger.info("training steps: %s", describe_steps(args.compile))
    splits = split_files(args.corpus)
    train_paths = subsample(splits["train"], args.max_files)
    logger.info("files: %s; %d used for training windows", {name: len(paths) for name, paths in splits.items()}, len(train_paths))
    args.cache.mkdir(parents=True, exist_ok=True)
    tokenizer_path = args.cache / f"tokenizer-{args.vocab}-{_key(_names(splits['train'], args.corpus))}.json"
    if not tokenizer_path.exists():  # from all training files, even when --max-files limits the examples
        texts = (p.read_bytes().decode("utf-8", "replace") for p in splits["train"])
        train_tokenizer(texts, args.vocab).save(str(tokenizer_path))
    tokenizer = load_tokenizer_file(tokenizer_path)
    if args.calibrate_only:
        return _recalibrate(args, final_out, splits, tokenizer_path)
    train_docs = _cached_training(args, train_paths, tokenizer_path)
    held_out = _cached_training(args, subsample(splits["validation"], args.monitor_files), tokenizer_path, monitor=True)
    validation = _cached_validation(args, splits["validation"], tokenizer_path)
    prepared = time.monotonic()
    if args.prepare_only:
        logger.info("caches ready in %s", args.cache)
        _close_log()
        shutil.rmtree(args.out, ignore_errors=True)
        return 0
    config = TheaM2Config(vocab_size=tokenizer.get_vocab_size(), hidden_size=args.hidden, num_hidden_layers=args.layers,
                          intermediate_size=2 * args.hidden, hyena_filter_order=32, hidden_dropout_prob=args.dropout,
                          hyena_filter_scale=args.filter_scale, ensemble_heads=args.members,
                          site_mixer_layers=args.site_mixer_layers, argument_roles=args.argument_roles,
                          peer_groups=args.peer_groups, argument_names=args.argument_names)
    monitor = LossMonitor(held_out, train_docs, args.batch_tokens, args.seed)
    members = train_members(config, train_docs, args, monitor)
    for member in members:  # calibrated as shipped (fp16), so `--calibrate-only` on the checkpoint gives the same
        member.half().float()
    trained = time.monotonic()
    if args.no_calibrate:
        heads = config.ensemble_heads
        calibration = Calibration([1.0] * heads, [1.0] * heads, [0.0] * heads, context_length=32768)
        logger.warning("--no-calibrate: saved with T=1 and threshold %.2f; run --calibrate-only", calibration.threshold)
    else:
        calibration = _calibrate(members, validation, args)
    save_detector(args.out, members, tokenizer, calibration)
    finished = time.monotonic()
    # data preparation is short when the documents come from the caches of an earlier run (.cache/ml)
    stages = {"data preparation": (prepared - started) / 60, "training steps": (trained - prepared) / 60,
              "calibration": (finished - trained) / 60}
    write_model_card(args.out, config, args, splits, train_docs, calibration, stages, monitor.readings)
    logger.info("done in %s -> %s", describe_stages(stages), final_out)
    _close_log()
    _swap_in(args.out, final_out)
    return 0


def _calibrate(members: list[TheaM2ForBugDetection], validation: list[Document], args: argparse.Namespace) -> Calibration:
    """Temperatures on documents of at most --calibration-tokens (the CPU time stays small);
    the threshold on every clean validation file (the more clean lines, the better)."""
    short = [doc for doc in validation if int(doc.features.ids.shape[0]) <= args.calibration_tokens]
    long_clean = [doc for doc in validation if doc.kind is None and int(doc.features.ids.shape[0]) > args.calibration_tokens]
    logger.info("calibrating on %d of %d validation documents (+%d long clean ones for the threshold)",
                len(short), len(validation), len(long_clean))
    return calibrate(members, short, args.alarms_per_kloc, context_length=32768, more_clean=long_clean,
                     min_sites=args.no_bug_min_sites)


def _recalibrate(args: argparse.Namespace, final_out: Path, splits: dict[str, list[Path]], tokenizer_path: Path) -> int:
    """--calibrate-only: new temperatures and threshold for the weights in `final_out`."""
    members, tokenizer, _ = load_detector(final_out)
    if tokenizer.to_str() != load_tokenizer_file(tokenizer_path).to_str():
        _close_log()
        shutil.rmtree(args.out)
        raise SystemExit(f"{final_out} was not trained on this corpus's training split (its tokenizer differs)")
    validation = _cached_validation(args, splits["validation"], tokenizer_path)
    calibration = _calibrate(members, validation, args)
    shutil.copytree(final_out, args.out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("train.log"))
    save_calibration(args.out, calibration)  # the weights and tokenizer are copied as they were
    for member_dir in member_dirs(args.out):  # the config too, but for the document prior chosen now
        config_path = member_dir / "config.json"
        config_json = json.loads(config_path.read_text())
        config_json["no_bug_min_sites"] = args.no_bug_min_sites
        config_path.write_text(json.dumps(config_json, indent=2, sort_keys=True) + "\n")
    clean_lines = sum(doc.lines for doc in validation if doc.kind is None)
    temperatures = describe_members(calibration)
    card_path = args.out / CARD_FILE
    # held-out results appended by `thea eval --card` were measured under the old calibration
    card_text = card_path.read_text().split("\n## Held-out ")[0].rstrip("\n") + "\n"
    card_path.write_text(card_text)
    with card_path.open("a") as card:
        card.write(f"\n## Recalibrated (`thea train --calibrate-only`; replaces the calibration above)\n\n"
                   f"- Validation: {len(splits['validation'])} files of {', '.join(VALIDATION_PACKAGES)}; "
                   f"{clean_lines} clean lines.\n- No-bug slot: the number of sites counted as at least "
                   f"{args.no_bug_min_sites} (`--no-bug-min-sites`): a document of fewer sites gets a prior of a bug "
                   f"in proportion to its sites.\n- Calibration per member (localisation/repair temperature/no-bug offset "
                   f"[offset per kind]): "
                   f"{temperatures}.\n- Default threshold {calibration.threshold:.2f} (the 95% upper bound of the alarm "
                   f"rate on clean validation lines within {args.alarms_per_kloc} per 1,000; never below 0.5).\n")
    logger.info("recalibrated %s: threshold %.2f", final_out, calibration.threshold)
    old_log = final_out / "train.log"
    training_log = old_log.read_text() if old_log.exists() else ""
    _close_log()
    new_log = args.out / "train.log"
    new_log.write_text(training_log + new_log.read_text())  # the training's log, then this run's
    _swap_in(args.out, final_out)
    return 0


def _swap_in(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with two renames (the old one is deleted after)."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def make_reproducible(threads: int, device: str) -> None:
    """Bit-for-bit repeatable training steps on the CPU. Otherwise the backward of the site
    features' gathers (`hidden[site_doc, site_start]`: index_put_ with accumulate) adds with
    parallel atomic adds once it has 32,768 elements and 2 threads, in an order that varies:
    two runs of the shipped recipe from the same caches drifted apart from step ~100. On a GPU
    some kernels have no deterministic version: warned, and such a run is not bit-reproducible.
    Deterministic mode would also fill every new tensor with NaN (a guard against reading
    uninitialised memory, which nothing here does): that cost a fifth of a step's time and
    changes no result, so it is off."""
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True, warn_only=device != "cpu")
    torch.utils.deterministic.fill_uninitialized_memory = False


def subsample(paths: list[Path], limit: int) -> list[Path]:
    """At most `limit` paths (0: all), evenly strided so that every package keeps some files."""
    if not limit or len(paths) <= limit:
        return paths
    return [paths[i * len(paths) // limit] for i in range(limit)]


def load_tokenizer_file(path: Path) -> Tokenizer:
    return Tokenizer.from_file(str(path))


def _log_to(path: Path) -> None:
    _close_log()  # a previous run's in this process
    handler = logging.FileHandler(path, mode="w")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger("engine")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler) for h in root.handlers):
        root.addHandler(logging.StreamHandler())


def _names(paths: list[Path], corpus: Path) -> list[str]:
    """Paths as cache keys spell them: inside the corpus, wherever it lies."""
    return [corpus_path(p, corpus) for p in paths]


def _close_log() -> None:
    """Detach and close the log file of `_log_to` (before the file is rewritten or removed)."""
    root = logging.getLogger("engine")
    for handler in [h for h in root.handlers if isinstance(h, logging.FileHandler)]:
        root.removeHandler(handler)
        handler.close()


def _key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:12]


# The modules whose code decides what a cached document holds: which sites exist, how bugs are
# injected, how features are laid out. A change to any of them must not reuse an older cache.
# (The rule set also filters mutants; it is not keyed: a rule that starts reporting some mutant
# changes the data only at the margin.)
_DATA_MODULES = ("dataset.py", "features.py", "inject.py", "roles.py", "sites.py", "tokenizer.py")


def data_code_digest() -> str:
    """A digest of the source of `_DATA_MODULES`, part of every training-data cache key."""
    here = Path(__file__).resolve().parent
    return _key(*(hashlib.sha256((here / name).read_bytes()).hexdigest() for name in _DATA_MODULES))


_WORKER: dict[str, object] = {}
_FRACTIONAL = frozenset({"site_role_names"})  # DocFeatures fields that are not indices


def _init_worker(tokenizer_path: str) -> None:
    torch.set_num_threads(1)
    _WORKER["tokenizer"] = load_tokenizer_file(Path(tokenizer_path))
    _WORKER["rules"] = RuleSet.recommended()


def _documents_of(job: tuple[str, int, float, int, bool, int]) -> list[dict[str, object]]:
    path, seed, per_kb, versions, balance_kinds, clean_versions = job
    found = training_documents(Path(path), _WORKER["tokenizer"], _WORKER["rules"], seed, per_kb, versions,  # type: ignore[arg-type]
                               balance_kinds, clean_versions)
    # plain lists: torch tensors would travel between processes as file descriptors
    return [{k: v.tolist() if isinstance(v, torch.Tensor) else v for k, v in _to_dict(f).items()} for f in found]


def _from_lists(row: dict[str, object]) -> dict[str, object]:
    """int32 tensors, as the cache stores them (half the size of int64), and float16 ones for the
    fractional features (`_FRACTIONAL`); `_widen` before use."""
    return {k: torch.tensor(v, dtype=torch.float16 if k in _FRACTIONAL else torch.int32) if isinstance(v, list) else v
            for k, v in row.items()}


def _widen(row: dict[str, object]) -> dict[str, object]:
    """int64 tensors, as indexing wants them (caches written before int32 already are); fractional
    features stay float16 until `collate`."""
    return {k: v.long() if isinstance(v, torch.Tensor) and not v.is_floating_point() else v for k, v in row.items()}


def _to_dict(features: DocFeatures) -> dict[str, object]:
    return {name: getattr(features, name) for name in DocFeatures.__slots__}  # type: ignore[attr-defined]


def _cached_training(args: argparse.Namespace, paths: list[Path], tokenizer_path: Path, monitor: bool = False) -> list[DocFeatures]:
    """Whole mutants of `paths` by the training recipe (with `monitor`: of held-out files, for the loss monitor)."""
    picks = () if args.pick == "kinds" else (args.pick,)  # the key of a "kinds" cache predates --pick
    picks += (f"clean{args.clean_versions}",) if args.clean_versions else ()  # likewise --clean-versions
    cache = args.cache / f"{'monitor' if monitor else 'train'}-{_key(FORMAT, data_code_digest(), _names(paths, args.corpus), args.seed, args.per_kb, args.versions, *picks, tokenizer_path.read_bytes())}.pt"
    if cache.exists():
        rows = torch.load(cache, weights_only=True)
    else:
        jobs = [(str(p), args.seed, args.per_kb, args.versions, args.pick == "kinds", args.clean_versions) for p in paths]
        with Pool(args.threads, initializer=_init_worker, initargs=(str(tokenizer_path),)) as pool:
            rows = [_from_lists(row) for rows_of_file in pool.imap(_documents_of, jobs, chunksize=4) for row in rows_of_file]
        torch.save(rows, cache)
    docs = [DocFeatures(**_widen(row)) for row in rows]
    labels = [doc.labels() for doc in docs]
    logger.info("%d %s documents, %d tokens, %d sites, %d injected bugs", len(docs), "held-out" if monitor else "training",
                sum(int(doc.ids.shape[0]) for doc in docs), sum(int(lab.shape[0]) for lab in labels),
                sum(int((lab >= 0).sum()) for lab in labels))
    return docs


def _cached_validation(args: argparse.Namespace, paths: list[Path], tokenizer_path: Path) -> list[Document]:
    cache = args.cache / f"validation-{_key(FORMAT, data_code_digest(), VALIDATION_TOKENS, _names(paths, args.corpus), args.seed, tokenizer_path.read_bytes())}.pt"
    if cache.exists():
        rows = torch.load(cache, weights_only=True)
        return [Document(r["path"], r["kind"] or None, DocFeatures(**r["features"]), r["lines"]) for r in rows]
    docs = documents(paths, load_tokenizer_file(tokenizer_path), RuleSet.recommended(), args.seed + 1, 2, VALIDATION_TOKENS,
                     args.corpus)
    torch.save([{"path": d.path, "kind": d.kind or "", "features": _to_dict(d.features), "lines": d.lines} for d in docs], cache)
    return docs


def learning_rate(step: int, steps: int, peak: float, warmup: int = 100) -> float:
    """Linear warm-up, then one cosine cycle down to 2% of the peak."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return 0.02 * peak + 0.98 * peak * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def train_members(config: TheaM2Config, docs: list[DocFeatures], args: argparse.Namespace,
                  monitor: LossMonitor | None = None) -> list[TheaM2ForBugDetection]:
    """The trained detector (a list of one model: its heads are the ensemble's members); the
    `monitor` reads the held-out and training losses every --monitor-every steps and at the end."""
    model = TheaM2ForBugDetection(config).to(args.device)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    averages = None
    if args.average_decays:
        if monitor is None:
            raise ValueError("--average-decays needs the loss monitor: its held-out windows choose the weights kept")
        averages = WeightAverages(model, args.average_decays)
    rng = random.Random(args.seed)
    if monitor is not None:
        logger.info("%s", monitor.read(model, 0, args.device).describe())
    budget = 60 * args.max_minutes
    with compiled_encoder(model) if args.compile else contextlib.nullcontext():
        step = _train_steps(model, optimizer, averages, docs, args, monitor, rng, budget)
    if monitor is not None and monitor.readings[-1].step != step:  # step 0 was read before the loop
        logger.info("%s", monitor.read(model, step, args.device).describe())
    if averages is not None and monitor is not None:  # the monitor is there whenever averages are (above)
        keep_best_average(model, averages, monitor, step, args.device)
    return [model.cpu().eval()]


def _train_steps(model: TheaM2ForBugDetection, optimizer: torch.optim.Optimizer, averages: WeightAverages | None,
                 docs: list[DocFeatures], args: argparse.Namespace, monitor: LossMonitor | None, rng: random.Random,
                 budget: float) -> int:
    """The optimizer steps of the schedule; returns how many ran (fewer when the clock's budget runs out)."""
    step, started, running = 0, time.monotonic(), None

    def progress() -> float:  # of the schedule: steps done, or the time budget spent, whichever is further
        spent = (time.monotonic() - started) / budget if budget else 0.0
        return max(step / args.steps, spent)

    while progress() < 1:
        for group in token_batches(cut_windows(docs, rng, args.train_window), args.batch_tokens, rng):
            for param_group in optimizer.param_groups:
                param_group["lr"] = learning_rate(round(progress() * args.steps), args.steps, args.lr)
            batch = collate(group).to(args.device)
            value = loss(model(batch.input_ids, batch.attention_mask, batch.sites), batch, args.pointer)
            optimizer.zero_grad()
            value.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            if averages is not None:
                averages.update()
            running = float(value.detach()) if running is None else 0.98 * running + 0.02 * float(value.detach())
            step += 1
            if step % 25 == 0:
                logger.info("step %d/%d loss %.4f (%.2f s/step)", step, args.steps, running,
                            (time.monotonic() - started) / step)
            if monitor is not None and args.monitor_every and step % args.monitor_every == 0:
                logger.info("%s", monitor.read(model, step, args.device).describe())
            if progress() >= 1:
                if step < args.steps:
                    logger.warning("--max-minutes spent at step %d of %d: the schedule annealed by the clock", step, args.steps)
                break
    return step


def keep_best_average(model: TheaM2ForBugDetection, averages: WeightAverages, monitor: LossMonitor, step: int,
                      device: str) -> None:
    """Load into `model` whichever of its weight averages has a lower held-out loss than its last
    step's weights (the monitor's last reading), if any does."""
    best = monitor.readings[-1]
    best_decay = None
    for decay in averages.decays:
        with averages.swapped_in(decay):
            reading = monitor.measure(model, step, device, f"weights averaged, decay {decay:g}")
        logger.info("%s", reading.describe())
        if reading.held_out < best.held_out:
            best, best_decay = reading, decay
    if best_decay is None:
        logger.info("kept the last step's weights: no average did better held out")
        return
    averages.load(best_decay)
    monitor.readings.append(best)
    logger.info("kept the weights averaged with decay %g", best_decay)


if __name__ == "__main__":
    raise SystemExit(main())
