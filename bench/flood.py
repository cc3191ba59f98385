#!/usr/bin/env python3
"""A bounded flood of unauthenticated sign-ins against a real Cognate, from its own process.

    COGNATE_BIN=target/debug/cognate python3 bench/flood.py [--flood 2000] [--seconds 10]

Starts `cognate serve --dev` on a free loopback port with a fresh data directory, signs up and
confirms one legitimate user, then measures, in this one run:

1. the baseline: GetUser requests per second from 8 closed-loop clients for --seconds;
2. the flood: --flood concurrent InitiateAuth calls (USER_PASSWORD_AUTH, wrong passwords for
   existing and unknown users, each on its own connection) while the same 8 GetUser clients run.

It prints the share of flood answers per error name, the 5xx count (must be 0), the server's
peak resident memory (VmHWM) before and after the flood, and the GetUser throughput during the
flood as a ratio of the baseline. Loopback only; the request count is bounded; the server is
stopped at the end. Exit status 1 if any answer was a 5xx or a connection failed.
"""

import argparse
import asyncio
import json
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter

HOST = "127.0.0.1"
PASSWORD = "Passw0rd!-bench"


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


async def call(port, path, body=None, target=None, token_header=None):
    """One HTTP/1.1 request on a fresh connection: (status, parsed JSON or None)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        payload = b"" if body is None else json.dumps(body).encode()
        method = "GET" if body is None else "POST"
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
        if target:
            lines.append(f"X-Amz-Target: AWSCognitoIdentityProviderService.{target}")
            lines.append("Content-Type: application/x-amz-json-1.1")
        lines.append(f"Content-Length: {len(payload)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, rest = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    try:
        return status, json.loads(rest) if rest else None
    except ValueError:
        return status, None


def peak_memory_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


async def get_user_loop(port, token, stop, counts):
    while not stop.is_set():
        status, _ = await call(port, "/", {"AccessToken": token}, "GetUser")
        counts[status] += 1


async def measure_get_user(port, token, seconds):
    counts = Counter()
    stop = asyncio.Event()
    workers = [asyncio.create_task(get_user_loop(port, token, stop, counts)) for _ in range(8)]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*workers)
    return counts


async def flood_call(port, client_id, index, answers):
    username = "bench" if index % 2 == 0 else f"nobody-{index}"
    body = {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": client_id,
        "AuthParameters": {"USERNAME": username, "PASSWORD": f"wrong-{index}"},
    }
    try:
        status, json_body = await call(port, "/", body, "InitiateAuth")
    except OSError as err:
        answers[f"connection failed: {err.__class__.__name__}"] += 1
        return
    if status >= 500:
        answers[f"{status}"] += 1
    else:
        answers[(json_body or {}).get("__type", f"{status} ok")] += 1


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--flood", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    binary = os.environ.get("COGNATE_BIN", "target/debug/cognate")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.flood + 256)), hard))
    port = free_port()
    data = tempfile.mkdtemp(prefix="cognate-flood-")
    server = subprocess.Popen(
        [binary, "serve", "--dev", "--listen", f"{HOST}:{port}", "--data-dir", data],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                status, demo = await call(port, "/_dev/demo.json")
                if status == 200:
                    break
            except OSError:
                pass
            await asyncio.sleep(0.1)
        else:
            sys.exit("the server did not start")
        client_id = demo["clientId"]
        await call(port, "/", {"ClientId": client_id, "Username": "bench", "Password": PASSWORD,
                               "UserAttributes": [{"Name": "email", "Value": "bench@example.com"}]}, "SignUp")
        _, mailbox = await call(port, "/_dev/mailbox.json")
        body = next(m["body"] for m in reversed(mailbox["messages"]) if m["recipient"] == "bench@example.com")
        code = re.search(r"\b(\d{6})\b", body).group(1)
        await call(port, "/", {"ClientId": client_id, "Username": "bench", "ConfirmationCode": code}, "ConfirmSignUp")
        status, signed_in = await call(port, "/", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                                                   "AuthParameters": {"USERNAME": "bench", "PASSWORD": PASSWORD}},
                                       "InitiateAuth")
        token = signed_in["AuthenticationResult"]["AccessToken"]

        baseline = await measure_get_user(port, token, args.seconds)
        memory_before = peak_memory_kib(server.pid)

        answers = Counter()
        started = time.monotonic()
        stop = asyncio.Event()
        during = Counter()
        workers = [asyncio.create_task(get_user_loop(port, token, stop, during)) for _ in range(8)]
        await asyncio.gather(*(flood_call(port, client_id, i, answers) for i in range(args.flood)))
        flood_seconds = time.monotonic() - started
        stop.set()
        await asyncio.gather(*workers)
        memory_after = peak_memory_kib(server.pid)

        five_xx = sum(n for k, n in answers.items() if k[:1] == "5") + sum(n for s, n in during.items() if s >= 500)
        failed = sum(n for k, n in answers.items() if k.startswith("connection failed"))
        baseline_rate = baseline[200] / args.seconds
        during_rate = during[200] / flood_seconds
        report = {
            "flood_requests": args.flood,
            "flood_seconds": round(flood_seconds, 2),
            "flood_answers": {k: f"{n} ({100 * n / args.flood:.1f} %)" for k, n in answers.most_common()},
            "five_xx": five_xx,
            "peak_rss_mib_before_flood": round(memory_before / 1024, 1),
            "peak_rss_mib_after_flood": round(memory_after / 1024, 1),
            "get_user_per_s_baseline": round(baseline_rate, 1),
            "get_user_per_s_during_flood": round(during_rate, 1),
            "get_user_ratio_during_vs_baseline": round(during_rate / baseline_rate, 2) if baseline_rate else None,
            "get_user_statuses_during_flood": dict(during),
        }
        print(json.dumps(report, indent=2))
        sys.exit(1 if five_xx or failed else 0)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    asyncio.run(main())
