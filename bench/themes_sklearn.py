"""scikit-learn's peer figures for bench/themes.ts: the same texts and k, TfidfVectorizer + KMeans
(and, for the labelled set, SpectralClustering on character n-grams). Reads JSON lines
{"text": ..., "label"?: ...}; prints one JSON object. Run by the benchmark with Debian's
/usr/bin/python3 when python3-sklearn is installed; skipped otherwise.

    themes_sklearn.py FILE K [kmeans|spectral] [--runs R] [--spawned-at EPOCH_MS]

What is timed, the same way bench/themes.ts times ours:
  first_ms       the first fit in this process, after the imports and after reading the file
  warm_ms        each further fit of the same texts in the same process (--runs R gives R - 1 of them)
  process_ms     from the moment the benchmark spawned this process (--spawned-at, epoch ms) to the end of
                 the first fit: interpreter start, imports, reading the file and the first fit
"""
import json
import resource
import sys
import time


def fit(texts, k, mode):
    from sklearn.cluster import KMeans, SpectralClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    t0 = time.perf_counter()
    if mode == "spectral":
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)
        x = vec.fit_transform(texts)
        t1 = time.perf_counter()
        model = SpectralClustering(n_clusters=k, affinity="nearest_neighbors", n_neighbors=15, random_state=0, assign_labels="kmeans")
        pred = model.fit_predict(x)
    else:
        vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2 if len(texts) >= 50 else 1)
        x = vec.fit_transform(texts)
        t1 = time.perf_counter()
        model = KMeans(n_clusters=k, n_init=3, random_state=0)
        pred = model.fit_predict(x)
    t2 = time.perf_counter()
    return pred, (t1 - t0) * 1000, (t2 - t1) * 1000


def main():
    args = sys.argv[1:]
    runs, spawned_at = 1, None
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i : i + 2]
    if "--spawned-at" in args:
        i = args.index("--spawned-at")
        spawned_at = float(args[i + 1])
        del args[i : i + 2]
    path, k, mode = args[0], int(args[1]), args[2] if len(args) > 2 else "kmeans"
    from sklearn.cluster import KMeans, SpectralClustering  # noqa: F401 (imported before any timing)
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: F401
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    texts = [r["text"] for r in rows]
    labels = [r.get("label") for r in rows]
    out = {"n": len(texts), "k": k}
    pred, vec_ms, cluster_ms = fit(texts, k, mode)
    if spawned_at is not None:
        out["process_ms"] = round(time.time() * 1000 - spawned_at)
    out["vectorise_ms"] = round(vec_ms)
    out["cluster_ms"] = round(cluster_ms)
    out["total_ms"] = round(vec_ms + cluster_ms)
    out["first_ms"] = out["total_ms"]
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    warm = []
    for _ in range(runs - 1):
        _, v, c = fit(texts, k, mode)
        warm.append(round(v + c, 1))
    out["warm_ms"] = warm
    if all(l is not None for l in labels):
        out["nmi"] = normalized_mutual_info_score(labels, pred)
        out["ari"] = adjusted_rand_score(labels, pred)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
