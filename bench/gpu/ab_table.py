#!/usr/bin/env python3
"""Tables from bench/gpu/run.sh's A/B files: ab_table.py RUN_DIR [RUN_DIR ...] (docs/results/gpu/10-*).

Each run dir holds ab-<variant>-<round>.json (one `npm run bench --backends webgpu` process each,
variants base | new | pool, alternated within a round). Prints, per variant, the median default-step
time and its phases over every process, and the new ÷ base ratio of each round (same machine, minutes
apart), whose median is the before/after figure.
"""
import glob, json, os, re, statistics, sys

rows = {}  # variant -> list of figures
pairs = []  # (run, round, new/base)
pool_pairs = []  # (run, round, pool/new)
for run in sys.argv[1:]:
    by_round = {}
    for f in sorted(glob.glob(os.path.join(run, 'ab-*-*.json'))):
        variant, rnd = re.match(r'ab-(\w+)-(\d+)\.json', os.path.basename(f)).groups()
        b = json.load(open(f))['backends'][0]
        rows.setdefault(variant, []).append(b)
        by_round.setdefault(rnd, {})[variant] = b['stepMs']
    for rnd, v in sorted(by_round.items()):
        if 'base' in v and 'new' in v:
            pairs.append((os.path.basename(os.path.normpath(run)), rnd, v['new'] / v['base']))
        if 'pool' in v and 'new' in v:
            pool_pairs.append((os.path.basename(os.path.normpath(run)), rnd, v['pool'] / v['new']))

med = lambda xs: statistics.median(xs)
print('| variant | processes | step (median) | generation | scoring | update | GPU dispatches | buffers created per step | step range |')
print('|---|---|---|---|---|---|---|---|---|')
for variant in ('base', 'new', 'pool'):
    r = rows.get(variant)
    if not r:
        continue
    col = lambda k: med([x[k] for x in r])
    made = [x['gpuBuffersCreatedPerStep'] for x in r if 'gpuBuffersCreatedPerStep' in x]
    steps = [x['stepMs'] for x in r]
    made = f'{med(made):.0f}' if made else "(tfjs's pool)"
    print(f"| {variant} | {len(r)} | {col('stepMs'):.0f} ms | {col('genMs'):.0f} | {col('scoreMs'):.0f} | {col('updateMs'):.0f} | "
          f"{col('gpuDispatchesPerStep'):.0f} | {made} | {min(steps):.0f}–{max(steps):.0f} |")
for name, ps in (('new ÷ base', pairs), ('pool ÷ new', pool_pairs)):
    if ps:
        print()
        print(f'{name} per round: ' + ', '.join(f'{run}/{rnd} {x:.2f}' for run, rnd, x in ps) + f'; median **{med([x for _, _, x in ps]):.2f}**')
