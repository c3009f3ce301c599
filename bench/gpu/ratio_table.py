#!/usr/bin/env python3
"""The table of bench/gpu/ratio.sh: ratio_table.py DIR [DIR ...] (docs/results/gpu/11-ratio, 12-*).

Each DIR (one call of ratio.sh; several are pooled, their rounds named DIR/round) holds <variant>-<round>.json, one `npm run bench` process each (variants alternated within a round).
Prints each round's default-step time per variant and, where a variant is wasm, wasm's step ÷ each
other variant's (how many times faster than wasm), per round and for the medians.
"""
import glob, json, os, re, statistics, sys

dirs = sys.argv[1:]
steps = {}  # variant -> {round: stepMs}
for out in dirs:
    for f in glob.glob(os.path.join(out, '*-*.json')):
        m = re.match(r'(.+)-(\d+)\.json$', os.path.basename(f))
        if not m:
            continue
        rnd = (os.path.basename(os.path.normpath(out)) + '/' if len(dirs) > 1 else '') + m.group(2)
        try:
            steps.setdefault(m.group(1), {})[rnd] = json.load(open(f))['backends'][0]['stepMs']
        except (KeyError, IndexError, ValueError):
            pass
names = sorted(steps, key=lambda v: (v == 'wasm', v))  # wasm last
rounds = sorted({r for v in steps.values() for r in v}, key=lambda r: (r.rsplit('/', 1)[0] if '/' in r else '', int(r.rsplit('/', 1)[-1])))
others = [v for v in names if v != 'wasm'] if 'wasm' in steps else []
cell = lambda x: '–' if x is None else f'{x:.0f}'
print('| round | ' + ' | '.join(f'{v} step (ms)' for v in names) + ''.join(f' | wasm ÷ {v}' for v in others) + ' |')
print('|---' * (1 + len(names) + len(others)) + '|')
for r in rounds:
    row = [steps[v].get(r) for v in names]
    ratios = [steps['wasm'].get(r) / steps[v][r] if steps['wasm'].get(r) and steps[v].get(r) else None for v in others]
    print(f'| {r} | ' + ' | '.join(cell(x) for x in row) + ''.join(' | –' if x is None else f' | {x:.2f}×' for x in ratios) + ' |')
med = {v: statistics.median(steps[v].values()) for v in names}
print('| median | ' + ' | '.join(f'{med[v]:.0f}' for v in names) + ''.join(f" | **{med['wasm'] / med[v]:.2f}×**" for v in others) + ' |')
if others:
    per = {v: [steps['wasm'][r] / steps[v][r] for r in rounds if r in steps['wasm'] and r in steps[v]] for v in others}
    print('\nmedian of the rounds\' own ratios: ' + ', '.join(f'wasm ÷ {v} {statistics.median(x):.2f}× ({min(x):.2f}–{max(x):.2f}×, {sum(y >= 4 for y in x)} of {len(x)} rounds ≥ 4×)' for v, x in per.items() if x))
