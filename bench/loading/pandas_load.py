#!/usr/bin/python3
"""One timed pandas.read_csv in this process; prints one JSON line like loadOnce.ts does.

    /usr/bin/python3 bench/loading/pandas_load.py FILE

Times the read_csv call alone (pandas' import, about half a second, is not counted), with the
default C engine and float parsing (float_precision=None, pandas' fast but not always correctly
rounded xstrtod) and, as a second row, float_precision='round_trip' (correctly rounded, like ours).
Prints {"error": "pandas not installed"} and exits 0 when pandas cannot be imported.
"""
import json
import resource
import sys
import time

def main():
    path = sys.argv[1]
    precision = sys.argv[2] if len(sys.argv) > 2 else "default"
    try:
        import pandas
    except ImportError:
        print(json.dumps({"error": "pandas not installed"}))
        return
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    kwargs = {} if precision == "default" else {"float_precision": precision}
    frame = pandas.read_csv(path, **kwargs)
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    values = frame.to_numpy(dtype="float64", copy=False)
    print(json.dumps({
        "reader": "pandas" if precision == "default" else f"pandas ({precision})",
        "rows": int(frame.shape[0]),
        "columns": int(frame.shape[1]),
        "checksum": float(values.sum()),
        "readCpuSeconds": cpu,
        "readWallSeconds": wall,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pandas": pandas.__version__,
    }))

main()
