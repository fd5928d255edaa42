"""scikit-learn's peer figures for bench/themes.ts: the same texts and k, TfidfVectorizer + KMeans
(and, for the labelled set, SpectralClustering on character n-grams). Reads JSON lines
{"text": ..., "label"?: ...}; prints one JSON object. Run by the benchmark with Debian's
/usr/bin/python3 when python3-sklearn is installed; skipped otherwise."""
import json
import resource
import sys
import time


def main():
    path, k, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "kmeans"
    from sklearn.cluster import KMeans, SpectralClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    texts = [r["text"] for r in rows]
    labels = [r.get("label") for r in rows]
    out = {"n": len(texts), "k": k}
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
    out["vectorise_ms"] = round((t1 - t0) * 1000)
    out["cluster_ms"] = round((t2 - t1) * 1000)
    out["total_ms"] = round((t2 - t0) * 1000)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if all(l is not None for l in labels):
        out["nmi"] = normalized_mutual_info_score(labels, pred)
        out["ari"] = adjusted_rand_score(labels, pred)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
