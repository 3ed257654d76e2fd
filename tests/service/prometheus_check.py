#!/usr/bin/env python3
"""Parses a Prometheus text exposition with prometheus_client's own parser (an implementation
independent of dia's writer), checks every histogram's buckets, and prints the samples as JSON
{"name{label=value,...}": value} (labels sorted) for the C++ test to assert on.
Exit 77 when prometheus_client is missing (python3-prometheus-client, scripts/install_deps.sh)."""
import json
import math
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit(77)


def key(sample):
    labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
    return f"{sample.name}{{{labels}}}"


def check_histogram(family):
    series = {}
    for s in family.samples:
        labels = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
        series.setdefault(labels, []).append(s)
    for labels, samples in series.items():
        buckets = [(float(s.labels["le"]), s.value) for s in samples if s.name.endswith("_bucket")]
        count = [s.value for s in samples if s.name.endswith("_count")]
        assert buckets and buckets[-1][0] == math.inf, (family.name, labels, "no +Inf bucket")
        bounds = [b for b, _ in buckets]
        assert bounds == sorted(bounds), (family.name, labels, "bounds not increasing")
        values = [v for _, v in buckets]
        assert values == sorted(values), (family.name, labels, "buckets not cumulative")
        assert count == [values[-1]], (family.name, labels, "_count differs from +Inf")


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    samples = {}
    for family in text_string_to_metric_families(text):
        if family.type == "histogram":
            check_histogram(family)
        for s in family.samples:
            assert key(s) not in samples, ("sample twice", key(s))
            samples[key(s)] = s.value
    json.dump(samples, sys.stdout)


if __name__ == "__main__":
    main()
