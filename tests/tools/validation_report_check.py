#!/usr/bin/python3
"""Checks tools/validation_report.py --quick end to end on the built bonesim.

    validation_report_check.py --bonesim PATH/TO/bonesim --work DIR [--size N]
        [-- extra validation_report.py arguments, e.g. --set run.days=400]

Runs the report with --quick --only homeostasis,denosumab,denosumab_stop (56^3: about 2
minutes on 2 cores; the directional scenarios are left out because each of their configs
adds a 4-year run), then checks that it exited 0, that index.html names every scenario
(run or skipped) and the published sources, that each figure it shows exists as a PNG,
and that the summary table has a row per target, with a model value for those run. Then
the directional path without running bonesim again: the homeostasis and denosumab runs
reused (--reuse) as homeostasis and "opg_fc" (a RANKL blocker too) from a config
directory of their own, which must be drawn and found in the expected directions.
Whether the model meets the published targets is not checked here
(tests/cells/homeostasis_test, tests/interventions/denosumab_test do): the report says.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

from check_support import ROOT, check, failures

TOOL = os.path.join(ROOT, "tools", "validation_report.py")
SCENARIOS = ["homeostasis", "denosumab", "denosumab_stop", "immobilization",
             "estrogen_deficiency", "pth_continuous", "pth_intermittent", "glucocorticoid",
             "opg_fc"]
SOURCES = ["biology.md §2", "J Bone Miner Res 10:1537", "Bone Miner 1991", "FREEDOM",
           "Cummings et al. 2018", "Lang et al. 2004", "biology.md §4"]


def check_directional(args):
    """A directional scenario drawn against homeostasis, from reused runs."""
    work = args.work + "_directional"
    shutil.rmtree(work, ignore_errors=True)
    configs = os.path.join(work, "configs")
    os.makedirs(configs)
    for src, dst in (("homeostasis", "homeostasis"), ("denosumab", "opg_fc")):
        shutil.copy(os.path.join(ROOT, "configs", src + ".yaml"),
                    os.path.join(configs, dst + ".yaml"))
        shutil.copytree(os.path.join(args.work, "runs", src), os.path.join(work, "runs", dst))
    p = subprocess.run([sys.executable, TOOL, "--bonesim", args.bonesim, "-o", work, "--reuse",
                        "--configs", configs, "--only", "opg_fc"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"directional report exited {p.returncode}")
    if p.returncode:
        print(p.stdout)
    with open(os.path.join(work, "index.html"), encoding="utf-8") as f:
        page = f.read()
    section = page.split("<h2 id='opg_fc'>", 1)[-1]
    check("<img src='figures/opg_fc.png'" in section and
          os.path.getsize(os.path.join(work, "figures", "opg_fc.png")) > 20000,
          "opg_fc drawn against homeostasis")
    verdicts = re.findall(r"vs homeostasis[^<]*</td>.*?<td[^>]*>(yes|no)</td></tr>", section)
    check(verdicts == ["yes", "yes"], f"a RANKL blocker: BV/TV up, resorption down ({verdicts})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bonesim", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--size", type=int, default=56)
    parser.add_argument("extra", nargs="*", help="more validation_report.py arguments")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, TOOL, "--bonesim", args.bonesim, "-o", args.work,
                        "--quick", "--size", str(args.size),
                        "--only", "homeostasis,denosumab,denosumab_stop", *args.extra],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(p.stdout)
    print(f"validation_report.py took {time.monotonic() - t0:.0f} s")
    check(p.returncode == 0, f"validation_report.py exited {p.returncode}")
    index = os.path.join(args.work, "index.html")
    check(os.path.isfile(index), "index.html written")
    if not os.path.isfile(index):
        return 1
    with open(index, encoding="utf-8") as f:
        page = f.read()
    for name in SCENARIOS:
        check(f"<h2 id='{name}'>" in page, f"a section for {name}")
    for src in SOURCES:
        check(src in page, f"the source '{src}' is named")
    check("not a DXA region" in page, "the page says the sample is not a DXA region")
    for name in SCENARIOS[3:]:
        check(re.search(rf"<h2 id='{name}'>{name}</h2>\s*<p>skipped: not in --only", page)
              is not None, f"{name}: skipped, not in --only")

    images = re.findall(r"<img src='figures/([^']+)'", page)
    ran = [n for n in SCENARIOS if os.path.isdir(os.path.join(args.work, "runs", n))]
    check(len(images) >= 2 * ("homeostasis" in ran) + 2 * ("denosumab" in ran)
          + ("denosumab_stop" in ran) and images, f"figures shown: {images}")
    for png in images:
        path = os.path.join(args.work, "figures", png)
        check(os.path.isfile(path) and os.path.getsize(path) > 20000, f"figure {png} exists")

    summary = page.split("<h2>Summary</h2>", 1)[-1].split("<h2 ", 1)[0]
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>"
                      r"<td>([^<]*)</td><td>([^<]*)</td><td[^>]*>([^<]*)</td></tr>", summary)
    per = {n: [r for r in rows if r[0] == n] for n in SCENARIOS}
    expected = {"homeostasis": 9, "denosumab": 22, "denosumab_stop": 3, "immobilization": 2}
    for name, n in expected.items():
        if name in ran:
            check(len(per[name]) == n, f"{name}: {len(per[name])} summary rows, expected {n}")
    # With the full windows of every scenario (no --set run.days), every quantity has a value.
    if not args.extra:
        missing = [r[1] for r in rows if r[2] == "no data" or r[0] in ran and r[2] == "not run"]
        check(not missing, f"every quantity has a model value (missing: {missing})")
    check(all(r[4] for r in rows), "every row names its source")
    check(all(r[5] in ("yes", "no", "n/a (qualitative)", "no data", "not run") for r in rows),
          "every row says whether it is within range")
    check(all(r[5] == "not run" for r in per["immobilization"]), "immobilization: not run")
    check(re.search(r"\d+ of \d+ checked quantities within", page) is not None, "a count")
    if "homeostasis" in ran and "denosumab" in ran:
        check_directional(args)

    if failures:
        print(f"validation_report_check: {len(failures)} check(s) failed")
        return 1
    print("validation_report_check: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
