"""The report's first section: what the run shows, in sentences made from the figures (concbench_data.comparisons),
each with its 95% interval and a link to its chart and its rows. A finding is written only when a figure is behind
it; where the data cannot tell (no interval, an interval that holds 1) the sentence says so rather than guess.

Words with a fixed meaning: a model is *fastest* in a case when its median throughput is the highest, *tied* with
every model whose throughput interval overlaps its own; a ratio is *clearly* above or below 1 when its whole
interval is; `bare` rows are floors, never a model that wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from concbench_data import comparisons as cmp
from concbench_data import derive, model_order, parse_kv
from concbench_data.overhead import OVERHEAD_MARK
from concbench_data.report import Block, Bullets, Heading, Paragraph, Strong
from concbench_data.stability import UNSTABLE_CV, system_warnings

from . import anchors, fmt


@dataclass
class Figures:
    """Every comparison of one report, computed once (findings, workload sections and CSV tables share them)."""

    fastest: pd.DataFrame
    second_core: pd.DataFrame
    lock_cost: pd.DataFrame
    false_sharing: pd.DataFrame
    spawn_cost: pd.DataFrame
    deadlocks: pd.DataFrame
    machines: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def of(cls, results: pd.DataFrame, repetitions: pd.DataFrame) -> "Figures":
        samples = derive.repetition_samples(repetitions)
        return cls(
            fastest=cmp.fastest(results, samples), second_core=cmp.second_core(results),
            lock_cost=cmp.lock_cost(results, samples), false_sharing=cmp.false_sharing(results, samples),
            spawn_cost=cmp.spawn_cost(results), deadlocks=cmp.deadlocks(results),
            machines=cmp.between_machines(results, samples),
        )


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def case_name(row: pd.Series) -> str:
    """`parallel cpu, tasks=8`: the workload and its case label (the variant when nothing else varies)."""
    return f"{row['workload']} {row['case']}".strip() if row["case"] else row["workload"]


def _case_link(row: pd.Series, heading=anchors.charts) -> object:
    """The case, linked to its workload's charts (a figure beside it links to its rows: `_rows_link`)."""
    return anchors.link(case_name(row), heading(row["workload"]))


def _rows_link(text: str, row: pd.Series, heading=anchors.cells) -> object:
    """A figure, linked to the table that holds its rows (every cell of the workload, by default)."""
    return anchors.link(text, heading(row["workload"]))


def _sources_prefix(row: pd.Series, multi: bool) -> str:
    return f"{row['source']}: " if multi else ""


def _verdict_counts(table: pd.DataFrame, above: str, below: str) -> str:
    """`clearly faster in 3, clearly slower in 2, no clear difference in 5, no interval in 1` (counts of 0 left
    out)."""
    counted = cmp.counts(table["verdict"])
    parts = [f"{label} in {counted[key]}" for key, label in
             (("above", above), ("below", below), ("tied", "no clear difference"), ("", "no interval"))
             if counted[key]]
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# Which model is fastest, per workload and core count.


@dataclass
class _Tally:
    clear: list = field(default_factory=list)  # rows where the model is first and no other is tied with it
    shared: list = field(default_factory=list)  # rows where it is first or tied for first with others
    unknown: list = field(default_factory=list)  # rows where it is first without an interval
    alone: list = field(default_factory=list)  # rows where it is the only model with an ok figure


def _tally(rows: pd.DataFrame) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    for _, row in rows.iterrows():
        winner = tallies.setdefault(row["model"], _Tally())
        if row["contenders"] == 1:
            winner.alone.append(row)
        elif not row["interval"]:
            winner.unknown.append(row)
        elif row["tied"]:
            winner.shared.append(row)
            for model in row["tied"]:
                tallies.setdefault(model, _Tally()).shared.append(row)
        else:
            winner.clear.append(row)
    return tallies


def _leader(tallies: dict[str, _Tally]) -> str:
    order = {m: i for i, m in enumerate(model_order(tallies))}
    return max(tallies, key=lambda m: (len(tallies[m].clear) + len(tallies[m].shared) + len(tallies[m].unknown)
                                       + len(tallies[m].alone), len(tallies[m].clear), -order[m]))


def _on_cores(row: pd.Series) -> str:
    return " (on 1 core)" if row["model_cores"] < row["cores"] else ""


def _clearest(row: pd.Series) -> list:
    return [_case_link(row), ": ",
            _rows_link(fmt.rate(row["items_per_s"], row["items_per_s_lo"], row["items_per_s_hi"]), row,
                       anchors.fastest_figures),
            f"{_on_cores(row)}, {fmt.times(row['lead'], row['lead_lo'], row['lead_hi'])} the runner-up {row['runner_up']}"]


def _at_cores(rows: pd.DataFrame, cores: int) -> list:
    tallies = _tally(rows)
    leader = _leader(tallies)
    mine = tallies[leader]
    total = len(rows)
    parts: list = [f"at {fmt.cores(cores)}: ", Strong(leader)]
    led = rows[rows["model"] == leader]
    if cores > 1 and not led.empty and (led["model_cores"] == 1).all():
        parts.append(" (on 1 core)")  # a one-core model, still the answer on this many cores
    counts = []
    if mine.clear:
        counts.append(f"fastest in {len(mine.clear)} of {plural(total, 'case')}")
    if mine.shared:
        counts.append(f"tied for fastest in {len(mine.shared)}" + ("" if mine.clear else f" of {plural(total, 'case')}"))
    if mine.unknown:
        counts.append(f"fastest without an interval in {len(mine.unknown)}"
                      + ("" if counts else f" of {plural(total, 'case')}"))
    if mine.alone:
        counts.append(f"the only model with an ok figure in {len(mine.alone)}"
                      + ("" if counts else f" of {plural(total, 'case')}"))
    parts.append(" " + ", ".join(counts))
    if mine.clear:
        best = max(mine.clear, key=lambda r: r["lead_lo"] if pd.notna(r["lead_lo"]) else r["lead"])
        parts += [" (clearest: ", *_clearest(best), ")"]
    elif mine.shared:
        row = mine.shared[0]
        others = [m for m in (row["model"], *row["tied"]) if m != leader]
        named = fmt.listing(others) if len(others) <= 3 else f"{len(others)} other models"
        parts += [f" (tied with {named} in ", _case_link(row), ")"]
    elif mine.alone or mine.unknown:
        row = (mine.alone or mine.unknown)[0]
        parts += [" (", _case_link(row), ": ", _rows_link(fmt.rate(row["items_per_s"], row["items_per_s_lo"],
                                                                  row["items_per_s_hi"]), row, anchors.fastest_figures),
                  f"{_on_cores(row)})"]
    others = [m for m in model_order(tallies) if m != leader and tallies[m].clear]
    if others:
        parts.append("; clearly fastest elsewhere: " + ", ".join(f"{m} in {len(tallies[m].clear)}" for m in others))
    return parts


def which_model(figures: Figures, workloads: list[str], sources: list[str]) -> list:
    """One bullet per workload (and machine): the model fastest in most of its cases at each core count."""
    items = []
    fast = figures.fastest
    for workload in workloads:
        for source in sources:
            rows = fast[(fast["workload"] == workload) & (fast["source"] == source)] if not fast.empty else fast
            if rows.empty:
                continue
            parts: list = [anchors.link(workload, anchors.workload(workload))]
            if len(sources) > 1:
                parts.append(f" on {source}")
            parts.append(": ")
            for i, cores in enumerate(sorted(rows["cores"].unique())):
                parts += (["; "] if i else []) + _at_cores(rows[rows["cores"] == cores], cores)
            parts += [" — ", anchors.link("table", anchors.fastest(workload)), "."]
            items.append(tuple(parts))
    return items


# ---------------------------------------------------------------------------------------------
# Ratios of two cells: a second core, the global lock, false sharing, machine against machine.


def _extreme(rows: pd.DataFrame, label: str, multi: bool, cores: bool = False) -> list:
    row = rows.iloc[0]
    where = f" at {fmt.cores(row['cores'])}" if cores else ""
    return [f"{label}{_sources_prefix(row, multi)}", _case_link(row), f"{where}: ",
            _rows_link(fmt.times(row["ratio"], row["ratio_lo"], row["ratio_hi"]), row)]


def _range(rows: pd.DataFrame, multi: bool, cores: bool, high: str, low: str) -> list:
    """`most: <case>: 1.85× [1.80–1.90]; least: <case>: 0.62× [0.55–0.70]` (one ratio: just `<case>: …`)."""
    ordered = rows.sort_values("ratio", ascending=False, kind="stable")
    if len(ordered) == 1:
        return _extreme(ordered, "", multi, cores)
    return [*_extreme(ordered, f"{high}: ", multi, cores), "; ", *_extreme(ordered.iloc[::-1], f"{low}: ", multi, cores)]


def second_core_items(figures: Figures, multi: bool) -> list:
    table = figures.second_core
    items = []
    for model in model_order(table["model"]) if not table.empty else []:
        rows = table[table["model"] == model]
        items.append((Strong(model), f" ({plural(len(rows), 'case')}): ",
                      _verdict_counts(rows, "clearly more throughput", "clearly less"), "; ",
                      *_range(rows, multi, cores=False, high="most", low="least"), "."))
    return items


def lock_items(figures: Figures, multi: bool) -> list:
    table = figures.lock_cost
    items = []
    for model in model_order(table["model"]) if not table.empty else []:
        rows = table[table["model"] == model]
        median = rows["ratio"].median()
        items.append((Strong(model), f" over {cmp.LOCK_BASE}, same case and cores ({plural(len(rows), 'cell')}): ",
                      _verdict_counts(rows, "clearly faster", "clearly slower"),
                      f"; median {fmt.times(median)}; " if len(rows) > 2 else "; ",
                      *_range(rows, multi, cores=True, high="best", low="worst"), "."))
    return items


def false_sharing_items(figures: Figures, multi: bool) -> list:
    table = figures.false_sharing
    if table.empty:
        return []
    items = []
    for cores, rows in table.groupby("cores"):
        below = rows[rows["verdict"] == "below"].sort_values("ratio_hi", kind="stable")
        parts: list = [Strong(f"at {fmt.cores(cores)}"), f" ({plural(len(rows), 'model cell')}), sharded-packed "
                       "against sharded: ", _verdict_counts(rows, "clearly faster", "clearly slower")]
        if not below.empty:
            row = below.iloc[0]
            parts += ["; the clearest loss: ", Strong(row["model"]), f" (tasks={row['tasks']}): ",
                      _rows_link(fmt.times(row["ratio"], row["ratio_lo"], row["ratio_hi"]), row),
                      f" ({fmt.rate(row['items_per_s'])} against {fmt.rate(row['base_items_per_s'])})"]
        else:
            parts.append("; no cell loses clearly")
        if cores == 1:
            parts.append(" (one core: no two cores write one line at once, so this is the control)")
        if multi:
            parts.append(f" (machines: {', '.join(dict.fromkeys(rows['source']))})")
        items.append((*parts, "."))
    return items


def machine_items(figures: Figures, workloads: list[str]) -> list:
    table = figures.machines
    if table.empty:
        return []
    items = []
    for workload in workloads:
        for source, rows in table[table["workload"] == workload].groupby("source", sort=False):
            reference = rows["reference"].iloc[0]
            ordered = rows.sort_values("ratio", ascending=False, kind="stable")
            top, bottom = ordered.iloc[0], ordered.iloc[-1]
            items.append((anchors.link(workload, anchors.workload(workload)),
                          f": {source} over {reference}, same cell ({plural(len(rows), 'cell')}): ",
                          _verdict_counts(rows, f"{source} clearly faster", "clearly slower"),
                          f"; median {fmt.times(rows['ratio'].median())}; largest: {top['model']} "
                          f"{top['case']} at {fmt.cores(top['cores'])}: "
                          f"{fmt.times(top['ratio'], top['ratio_lo'], top['ratio_hi'])}; smallest: {bottom['model']} "
                          f"{bottom['case']} at {fmt.cores(bottom['cores'])}: "
                          f"{fmt.times(bottom['ratio'], bottom['ratio_lo'], bottom['ratio_hi'])} — ",
                          _rows_link("rows", top), "."))
    return items


# ---------------------------------------------------------------------------------------------
# Deadlocks, spawn, floors, stability.


def _cores_list(rows: pd.DataFrame) -> str:
    values = sorted(int(c) for c in rows["cores"])
    return ", ".join(str(c) for c in values) + (" core" if values == [1] else " cores")


def deadlock_items(figures: Figures, multi: bool) -> list:
    table = figures.deadlocks
    items = []
    for (source, workload, case), rows in table.groupby(["source", "workload", "case"], sort=False) if not table.empty \
            else []:
        groups = {"every": rows[rows["deadlock_share"] == 1], "never": rows[rows["deadlock_share"] == 0]}
        some = rows[(rows["deadlock_share"] > 0) & (rows["deadlock_share"] < 1)]
        trials = sorted({int(t) for t in rows["trials"].dropna()})
        per = f" ({'/'.join(map(str, trials))} trials per cell)" if trials else ""
        parts: list = [_sources_prefix(rows.iloc[0], multi), anchors.link(f"{workload} {case}", anchors.charts(workload)),
                       per, ": "]
        clauses = []
        for label, group in (("deadlocked in every trial on", groups["every"]), ("never deadlocked on", groups["never"])):
            if not group.empty:
                named = [f"{m} ({_cores_list(g)})" for m, g in group.groupby("model", sort=False)]
                clauses.append(f"{label} {fmt.listing(named)}")
        if not some.empty:
            named = [f"{r['model']} at {fmt.cores(r['cores'])}: "
                     + (f"{fmt.share(int(r['deadlocked']), int(r['trials']))} trials" if pd.notna(r["trials"])
                        else f"share {r['deadlock_share']:.2f}") for _, r in some.iterrows()]
            clauses.append(f"in some trials on {fmt.listing(named)}")
        items.append((*parts, "; ".join(clauses), " — ", _rows_link("rows", rows.iloc[0]), "."))
    return items


def spawn_items(figures: Figures, multi: bool) -> list:
    table = figures.spawn_cost
    items = []
    for _, rows in table.groupby(["source", "variant"], sort=False) if not table.empty else []:
        first = rows.iloc[0]

        def cost(r: pd.Series) -> str:
            where = f", {fmt.cores(r['cores'])}" if r["cores"] > 1 else ""
            return f"{r['model']} {fmt.duration_ns(r['ns_per_task'], r['ns_per_task_lo'], r['ns_per_task_hi'])}{where}"

        models = [cost(r) for _, r in rows[~rows["floor"]].iterrows()]
        floors = [f"{parse_kv(r['params']).get('primitive', 'bare')} {fmt.duration_ns(r['ns_per_task'])}"
                  for _, r in rows[rows["floor"]].iterrows()]
        parts: list = [_sources_prefix(first, multi), anchors.link(f"{first['workload']} {first['variant']}",
                                                                   anchors.charts(first["workload"])),
                       f" (tasks={first['tasks']}), per task created and joined, cheapest first: ", "; ".join(models)]
        if floors:
            parts.append(f" (floors, the bare primitive: {'; '.join(floors)})")
        items.append((*parts, " — ", _rows_link("rows", first), "."))
    return items


def floor_items(results: pd.DataFrame) -> list:
    rows = results[results["bare_ratio"].notna() & (results["bare_ratio"] > 0)]
    if rows.empty:
        return []
    slow = rows[1.0 / rows["bare_ratio"] > OVERHEAD_MARK].sort_values("bare_ratio", kind="stable")
    parts: list = [f"{len(slow)} of {plural(len(rows), 'model cell')} with a floor "
                   f"take{'s' if len(slow) == 1 else ''} more than {OVERHEAD_MARK}× as long as the bare library primitive"]
    if not slow.empty:
        worst = slow.iloc[0]
        parts += ["; the most: ", Strong(worst["model"]), " in ", _case_link(worst), f" at {fmt.cores(worst['cores'])}: ",
                  _rows_link(f"{fmt.times(1.0 / worst['bare_ratio'])} the floor's time", worst, anchors.floors),
                  f" (bare_ratio {fmt.sig(worst['bare_ratio'])})"]
    parts += [" — ", anchors.link("every overhead", anchors.ALL_OVERHEAD), "."]
    return [tuple(parts)]


def unstable_items(results: pd.DataFrame, machines: dict) -> list:
    ok = results[derive.is_ok(results)]
    shaky = ok[ok["cv"] > UNSTABLE_CV].sort_values("cv", ascending=False)
    items = []
    if shaky.empty:
        items.append((f"No ok cell spread more than cv {UNSTABLE_CV} over its repetitions.",))
    else:
        multi = len(derive.sources(results)) > 1
        named = [f"{_sources_prefix(r, multi)}{r['model']} in {case_name(r)} at {fmt.cores(r['cores'])} "
                 f"(cv {r['cv']:.2f})" for _, r in shaky.head(3).iterrows()]
        items.append((f"{len(shaky)} of {len(ok)} ok cells spread more than cv {UNSTABLE_CV} over their "
                      f"repetitions (their figures may move from run to run): the widest {fmt.listing(named)} — ",
                      anchors.link("all of them", anchors.ALL_UNSTABLE), "."))
    for source, machine in machines.items():
        warned = system_warnings(machine.get("system"))
        if warned:
            items.append((f"{source} warned at the start of the run: {warned}.",))
    return items


# ---------------------------------------------------------------------------------------------
# The section.


def _run_summary(results: pd.DataFrame) -> str:
    ok = results[derive.is_ok(results)]
    repetitions = sorted({int(r) for r in ok["repetitions"].dropna()})
    reps = "–".join(str(r) for r in (repetitions[0], repetitions[-1])) if len(repetitions) > 1 else \
        "".join(map(str, repetitions)) or "no"
    machines = derive.sources(results)
    return (f"{len(results)} cells ({len(ok)} ok) on {len(machines)} machine{'s' if len(machines) > 1 else ''} "
            f"({', '.join(machines)}); each throughput is the median of {reps} repetitions. Every interval in "
            "brackets is a 95% percentile-bootstrap interval (of the median, or of a ratio of medians); a ratio is "
            "clearly above or below 1 when its whole interval is, and two models are tied when their throughput "
            "intervals overlap. bare rows are floors (the library primitive alone), never a model that wins.")


def findings_blocks(results: pd.DataFrame, figures: Figures, machines: dict) -> list[Block]:
    """The Findings section, subsections only where the run has the figures behind them."""
    workloads = derive.workloads(results)
    sources = derive.sources(results)
    multi = len(sources) > 1
    blocks: list[Block] = [Heading(anchors.FINDINGS), Paragraph(_run_summary(results))]
    sections = [
        ("Which model is fastest", "Per workload and core count, the model fastest in most cases, with the clearest "
         "of its wins (its throughput, and how much faster it is than the runner-up). A one-core model (sequential, "
         "coroutine, fiber) competes at every core count with its 1-core figure.", which_model(figures, workloads, sources)),
        ("Machine against machine", "The same cell on each machine against the first machine's.",
         machine_items(figures, workloads)),
        ("What a second core buys", "Each model's throughput at 2 cores over its own at 1 core, same case.",
         second_core_items(figures, multi)),
        ("What the global lock costs", "Each gil model's throughput over thread's in the same case at the same "
         "cores: below 1, the global lock costs that share.", lock_items(figures, multi)),
        ("Naive philosophers: deadlocks", "The share of trials (concbench --trials) that deadlocked.",
         deadlock_items(figures, multi)),
        ("False sharing", "counter/sharded-packed (eight counters to a cache line) over counter/sharded (one per "
         "line), same model, tasks and cores.", false_sharing_items(figures, multi)),
        ("Spawn: cost per task", "1 / throughput: time to create and join one task, at the model's cheapest core "
         "count.", spawn_items(figures, multi)),
        ("Against the floors", "", floor_items(results)),
        ("Stability", "", unstable_items(results, machines)),
    ]
    for title, intro, items in sections:
        if not items:
            continue
        blocks.append(Heading(f"{title}", 3))
        if intro:
            blocks.append(Paragraph(intro))
        blocks.append(Bullets(tuple(items)))
    return blocks
