"""Benchmark: compile a full cycle's IMRF package in parts vs. render it as one document in one WeasyPrint call.

    .venv/bin/python benchmarks/compile_package.py [--workers 2] [--min-words 150] [--max-words 250]

Builds a fresh SQLite database in a temporary directory (reference data, then one approved review for
every mechanism of the reference data, every objective answered with 150-250 words in each field) and
prints, for a cold compile and for a recompile after one review changed: wall time, pages and the peak
memory of the processes that render; then the same figures for the single-call render, then the ratios.

The two Celery workers are represented by a pool of `--workers` processes running the same functions the
tasks call (`packages.pdf.render_part` for each section, then `packages.pdf.assemble`), so the benchmark
needs no broker. Every process is started fresh for each measurement and warmed up with a one-line
render, as a long-lived worker would be; peak memory is each process's own maximum resident set size.
Each measurement runs `--repeat` times (a cold compile always starts from an empty cache) and the
fastest wall time is reported: other processes on a shared machine only ever add time.
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-packages-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "iscm_portal.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from pypdf import PdfReader  # noqa: E402

settings.MEDIA_ROOT = WORKDIR / "media"

from iscm_portal.file_storage import AtomicFileSystemStorage  # noqa: E402
from packages import pdf  # noqa: E402
from packages.files import SectionsCache  # noqa: E402

SNAPSHOT: dict = {}
PARTS_DIR = WORKDIR / "parts"


def sections_cache() -> SectionsCache:
    """The sections cache in PARTS_DIR (a folder, as the "sections" storage is by default)."""
    return SectionsCache(AtomicFileSystemStorage(location=str(PARTS_DIR)))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm(_):
    pdf.html_to_pdf("<p style='font-family: Noto Sans'>warm <b>up</b> <i>now</i></p>")
    return peak_mb()


def render_one(spec):
    cpu = time.process_time()
    part = pdf.render_part(SNAPSHOT, spec, sections_cache())
    return part, peak_mb(), time.process_time() - cpu


def assemble_all(parts):
    cpu = time.process_time()
    target = Path(settings.MEDIA_ROOT) / "out" / "report.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    result = pdf.assemble(SNAPSHOT, parts, sections_cache(), target)
    return result, peak_mb(), time.process_time() - cpu


def single_call(_):
    cpu = time.process_time()
    data = pdf.render_single_document(SNAPSHOT)
    path = Path(settings.MEDIA_ROOT) / "out" / "single.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(PdfReader(path).pages), peak_mb(), time.process_time() - cpu


def build_cycle(min_words: int, max_words: int) -> None:
    from accounts.models import User
    from mechanisms.models import Mechanism
    from mechanisms.services import reference_data_load
    from packages.demo import approved_review_create, demo_cycle

    call_command("migrate", verbosity=0)
    reference_data_load()
    cycle = demo_cycle()
    iom = User.objects.create(username="bench.iom", is_iom_staff=True)
    # A review needs the States that took part, so mechanisms without Member States (global forums) are left out.
    mechanisms = Mechanism.objects.filter(memberships__role="member").distinct().order_by("acronym")
    for index, mechanism in enumerate(mechanisms):
        words = min_words + (index * 37) % (max_words - min_words + 1)
        secretariat = User.objects.create(username=f"bench.{mechanism.slug}")
        secretariat.secretariat_mechanisms.set([mechanism])
        approved_review_create(
            mechanism=mechanism,
            cycle=cycle,
            secretariat=secretariat,
            iom=iom,
            objectives=range(1, 24),
            words=words,
            seed=index,
        )


def take_snapshot() -> dict:
    from packages.demo import demo_cycle
    from packages.selectors import package_snapshot
    from packages.services import package_create

    title = "Regional reviews 2024: input to the IMRF 2026"
    package = package_create(cycle=demo_cycle(), title=title, by=None)  # the demo keeps an earlier cycle too
    snapshot = package_snapshot(package)
    snapshot["date"] = "2026-11-24"
    return snapshot


def compile_in_parts(workers: int) -> dict:
    """The compile as the workers run it: sections in parallel, then the join on one worker."""
    specs = pdf.part_specs(SNAPSHOT)
    connections.close_all()
    with get_context("fork").Pool(workers) as pool:
        memories = pool.map(warm, range(workers), chunksize=1)
        start = time.perf_counter()
        # Longest sections first, so that the last task to finish is a short one.
        order = sorted(range(len(specs)), key=lambda i: specs[i]["kind"] != "objective")
        results = pool.map(render_one, [specs[i] for i in order], chunksize=1)
        parts = [None] * len(specs)
        cpu = 0.0
        for index, (part, memory, seconds) in zip(order, results, strict=True):
            parts[index] = part
            memories.append(memory)
            cpu += seconds
        result, memory, seconds = pool.apply(assemble_all, (parts,))
        wall = time.perf_counter() - start
    memories.append(memory)
    return {
        "wall": wall,
        "cpu": cpu + seconds,
        "assemble_cpu": seconds,
        "pages": result["pages"],
        "peak_mb": max(memories),
        "rendered": sum(1 for part in parts if not part["reused"]),
        "reused": sum(1 for part in parts if part["reused"]),
    }


def render_single() -> dict:
    connections.close_all()
    with get_context("fork").Pool(1) as pool:
        pool.apply(warm, (0,))
        start = time.perf_counter()
        pages, memory, cpu = pool.apply(single_call, (0,))
        wall = time.perf_counter() - start
    return {"wall": wall, "cpu": cpu, "pages": pages, "peak_mb": memory}


def change_one_review() -> str:
    from packages.demo import review_text
    from reviews.models import ObjectiveReport

    report = ObjectiveReport.objects.select_related("review__mechanism").get(
        review__mechanism__slug="bali-process", objective__number=5
    )
    report.progress = review_text("progress", acronym="Bali Process", objective=5, words=200, seed=99_999)
    report.revision += 1
    report.save()
    return f"{report.review.mechanism.acronym}, objective 5, progress rewritten"


def best_of(runs: list[dict]) -> dict:
    """The fastest run's figures (noise from other processes only ever adds time), the highest memory."""
    best = dict(min(runs, key=lambda run: run["wall"]))
    best["peak_mb"] = max(run["peak_mb"] for run in runs)
    best["runs"] = [round(run["wall"], 1) for run in runs]
    return best


def cold_compiles(workers: int, repeat: int) -> dict:
    global PARTS_DIR
    runs = []
    for index in range(repeat):
        PARTS_DIR = WORKDIR / f"parts-cold-{index}"  # an empty cache every time
        runs.append(compile_in_parts(workers))
    return best_of(runs)


def recompiles(workers: int, repeat: int, warm_cache: Path) -> dict:
    global PARTS_DIR
    runs = []
    for index in range(repeat):
        PARTS_DIR = WORKDIR / f"parts-warm-{index}"
        shutil.copytree(warm_cache, PARTS_DIR)  # the cache as the cold compile left it
        runs.append(compile_in_parts(workers))
    return best_of(runs)


def line(label: str, figures: dict) -> str:
    extra = ""
    if "rendered" in figures:
        extra = (
            f"  (sections rendered {figures['rendered']}, reused {figures['reused']};"
            f" join {figures['assemble_cpu']:.2f} s CPU)"
        )
    if "runs" in figures and len(figures["runs"]) > 1:
        extra += f"  [best of {figures['runs']} s]"
    return (
        f"{label:<34} wall {figures['wall']:7.2f} s   CPU {figures['cpu']:7.2f} s   pages {figures['pages']:5d}   "
        f"peak memory per rendering process {figures['peak_mb']:7.1f} MB{extra}"
    )


def main():
    global SNAPSHOT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--min-words", type=int, default=150)
    parser.add_argument("--max-words", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement; the fastest is reported")
    args = parser.parse_args()

    print(f"CPU cores: {os.cpu_count()}   workers: {args.workers}   load average: {os.getloadavg()[0]:.2f}")
    start = time.perf_counter()
    build_cycle(args.min_words, args.max_words)
    SNAPSHOT = take_snapshot()
    reviews = SNAPSHOT["reviews"]
    words = sum(
        len(report[field].split()) for review in reviews for report in review["reports"] for field in pdf.SECTION_FIELDS
    )
    print(
        f"Fresh database: {len(reviews)} approved reviews, {sum(len(r['reports']) for r in reviews)} objective "
        f"reports, {words:,} words in the five text fields ({time.perf_counter() - start:.1f} s to build)"
    )

    cold = cold_compiles(args.workers, args.repeat)
    print(line("Cold compile (parts, parallel)", cold))
    warm_cache = PARTS_DIR
    what = change_one_review()
    SNAPSHOT = take_snapshot()
    warm_figures = recompiles(args.workers, args.repeat, warm_cache)
    print(line("Recompile after one change", warm_figures))
    print(f"{'':<34} the change: {what}")
    single = best_of([render_single() for _ in range(args.repeat)])
    print(line("Single call (one HTML, one render)", single))
    print(f"Load average at the end: {os.getloadavg()[0]:.2f} (other processes on the machine slow every figure)")
    print()
    print(f"ratio cold compile / single call wall time:   {cold['wall'] / single['wall']:.3f}  (target <= 0.6)")
    print(f"ratio recompile / cold compile wall time:     {warm_figures['wall'] / cold['wall']:.3f}  (target <= 0.15)")
    print(
        f"ratio peak memory per rendering process / single call: "
        f"{max(cold['peak_mb'], warm_figures['peak_mb']) / single['peak_mb']:.3f}  (target <= 0.6)"
    )


if __name__ == "__main__":
    main()
