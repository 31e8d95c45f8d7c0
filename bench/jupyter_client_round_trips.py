# Round trips of gradlab and tslab measured from outside the project: Debian's jupyter_client starts both kernels from
# kernelspecs in a temporary JUPYTER_PATH and times execute_request -> execute_reply + status idle (median of 30, the two
# kernels taking turns), so bench:kernel's figures are checked by a client the project did not write.
# Usage (after npm run build): /usr/bin/python3 bench/jupyter_client_round_trips.py
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from queue import Empty

from jupyter_client.manager import KernelManager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE = shutil.which("node") or sys.exit("node is not on PATH")
CELLS = {
    "1+1": "1 + 1",
    "typed function": "function twice(x: number): number {\n  return 2 * x;\n}\ntwice(21)",
    "type error": 'const notANumber: number = "text";',
}
REPS = 30
# tslab answers requests within 200 ms of a failed one with "abort" without compiling: wait that out after an error.
PAUSE_S, PAUSE_AFTER_ERROR_S = 0.03, 0.25


def kernelspec(path, name, argv, env=None):
    os.makedirs(os.path.join(path, "kernels", name))
    with open(os.path.join(path, "kernels", name, "kernel.json"), "w") as f:
        json.dump({"argv": argv, "display_name": name, "language": "typescript", "env": env or {}}, f)


def drain(client):
    for get in (client.get_shell_msg, client.get_iopub_msg):
        try:
            while True:
                get(timeout=0.2)
        except Empty:
            pass


def round_trip(client, code):
    start = time.perf_counter()
    msg_id = client.execute(code, stop_on_error=False)
    reply = idle = None
    while reply is None or idle is None:
        if reply is None:
            msg = client.get_shell_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id:
                reply = msg["content"]["status"]
        while idle is None:
            msg = client.get_iopub_msg(timeout=10)  # Empty: the idle status was lost (tslab drops one now and then)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" \
                    and msg["content"]["execution_state"] == "idle":
                idle = time.perf_counter()
    return (idle - start) * 1000, reply


def main():
    home = tempfile.mkdtemp(prefix="gradlab-jc-bench-")
    kernelspec(home, "gradlab", [NODE, os.path.join(ROOT, "bin", "gradlab.js"), "kernel", "--connection-file", "{connection_file}"],
               {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(128 << 20)})
    kernelspec(home, "tslab", [NODE, os.path.join(ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"])
    os.environ["JUPYTER_PATH"] = home
    os.chdir(home)
    kernels = {}
    for name in ("gradlab", "tslab"):
        km = KernelManager(kernel_name=name)
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        kernels[name] = (km, kc)
    try:
        print(f"jupyter_client round trips, median of {REPS}, kernels taking turns; load average {os.getloadavg()[0]:.1f}")
        print(f"{'cell':<34} {'gradlab ms':>10} {'tslab ms':>9} {'ratio':>6}")
        lost = {name: 0 for name in kernels}
        for label, code in CELLS.items():
            for variant in ("identical", "changing"):
                times = {name: [] for name in kernels}
                for rep in range(REPS + 2):
                    text = code if variant == "identical" else f"// rep {rep}\n{code}"
                    for name, (_, kc) in kernels.items():
                        try:
                            ms, status = round_trip(kc, text)
                        except Empty:
                            lost[name] += 1
                            drain(kc)
                            time.sleep(PAUSE_AFTER_ERROR_S)
                            ms, status = round_trip(kc, f"// redo\n{text}" if variant == "changing" else text)
                        if status == "aborted":
                            sys.exit(f"{name} answered abort for {label}: the pause after an error is too short")
                        if rep >= 2:
                            times[name].append(ms)
                        time.sleep(PAUSE_AFTER_ERROR_S if status == "error" else PAUSE_S)
                g, t = statistics.median(times["gradlab"]), statistics.median(times["tslab"])
                print(f"{label + ', ' + variant + ' text':<34} {g:>10.2f} {t:>9.2f} {g / t:>5.2f}x")
        print(f"round trips redone after a lost idle status: {lost}")
    finally:
        for km, kc in kernels.values():
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
