import json,glob,statistics as st
def load(pattern):
    runs=[]
    for f in sorted(glob.glob(pattern)):
        d=json.load(open(f)); t=d['tfjs']; p=d['torch']
        s=lambda rows,k: sum(r[k] for r in rows)/len(rows)
        runs.append({k:(s(t,k), s(p,k)) for k in ('genMs','scoreMs','updateMs','stepMs','stepCpuMs')})
    return runs
for name,pat in (('final (7c3a616)','m15-main-*.json'),('before (815ad7a), same hour','m15-basewt-*.json'),('final, single-threaded V8','m15st-main-*.json'),('before, single-threaded V8','m15st-basewt-*.json'),('after the KV cache (dd9d7dd), earlier that day','m14-main-*.json'),('before (815ad7a), in the same session as dd9d7dd','m14-basewt-*.json'),('after the KV cache, single-threaded V8','m14st-main-*.json'),('before, single-threaded V8, in the same session as dd9d7dd','m14st-basewt-*.json')):
    runs=load('docs/results/wasm-torch/stop14/'+pat)
    if not runs: continue
    print(name, len(runs),'runs')
    for k in ('genMs','scoreMs','updateMs','stepMs','stepCpuMs'):
        w=[r[k][0] for r in runs]; p=[r[k][1] for r in runs]; ratio=[a/b for a,b in zip(w,p)]
        print(f"  {k}: wasm {st.mean(w):.0f} ms, torch {st.mean(p):.0f} ms, ratio of means {st.mean(w)/st.mean(p):.2f}, per-run {', '.join(f'{x:.2f}' for x in ratio)}")
