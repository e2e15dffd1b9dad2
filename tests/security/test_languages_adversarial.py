"""The adversarial suite in each language family, under runc and gVisor (`sb` is parametrized in
conftest.py): a native binary (Go, Rust), the JVM (Java), .NET (C#/mono), a JIT (Node) and an
interpreter (Ruby). Fork bombs, memory bombs, output floods and network probes get a clear status and never
credit, and the next ordinary run is clean; a program that exits before its own tests end (MultiPL-E's
shape) fails. Network probes only ever target 127.0.0.1."""

from __future__ import annotations

import pytest

from sandbox import ExecuteSpec, IOCase, JudgeSpec, RunStatus, Sandbox, Verdict
from tests.sandbox.test_function_tests import EXIT_EARLY, ROWS
from tests.security.test_adversarial import assert_next_run_is_clean

pytestmark = pytest.mark.docker

# language -> attack -> program. Each fork bomb starts processes until the pids limit stops it.
ATTACKS: dict[str, dict[str, str]] = {
    "go": {
        "fork bomb": 'package main\nimport "os/exec"\nfunc main() { for { exec.Command("/bin/sleep", "60").Start() } }\n',
        "memory bomb": "package main\nfunc main() { var xs [][]byte; for { xs = append(xs, make([]byte, 1<<20)); xs[len(xs)-1][0] = 1 } }\n",
        "output flood": 'package main\nimport "fmt"\nfunc main() { for { fmt.Println("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy") } }\n',
        "network probe": 'package main\nimport ("fmt"; "net")\nfunc main() { _, err := net.Dial("tcp", "127.0.0.1:50051"); fmt.Println(err != nil) }\n',
    },
    "rust": {
        "fork bomb": 'fn main() { loop { let _ = std::process::Command::new("/bin/sleep").arg("60").spawn(); } }\n',
        "memory bomb": "fn main() { let mut v: Vec<Vec<u8>> = Vec::new(); loop { v.push(vec![1u8; 1 << 20]); } }\n",
        "output flood": 'fn main() { loop { println!("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"); } }\n',
        "network probe": 'fn main() { println!("{}", std::net::TcpStream::connect("127.0.0.1:50051").is_err()); }\n',
    },
    "java": {
        "fork bomb": "public class Main { public static void main(String[] a) throws Exception {"
        ' while (true) { try { new ProcessBuilder("/bin/sleep", "60").start(); } catch (Exception e) {} } } }\n',
        "memory bomb": "import java.util.*;\npublic class Main { public static void main(String[] a) {"
        " List<byte[]> l = new ArrayList<>(); while (true) l.add(new byte[1 << 20]); } }\n",
        "output flood": "public class Main { public static void main(String[] a) {"
        ' while (true) System.out.println("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"); } }\n',
        "network probe": "public class Main { public static void main(String[] a) {"
        ' try { new java.net.Socket("127.0.0.1", 50051); System.out.println(false); }'
        " catch (Exception e) { System.out.println(true); } } }\n",
    },
    "csharp": {
        "fork bomb": "class P { static void Main() { while (true) { try {"
        ' System.Diagnostics.Process.Start("/bin/sleep", "60"); } catch {} } } }\n',
        "memory bomb": "using System.Collections.Generic;\nclass P { static void Main() {"
        " var l = new List<byte[]>(); while (true) { var b = new byte[1 << 20]; b[0] = 1; l.Add(b); } } }\n",
        "output flood": "class P { static void Main() { while (true)"
        ' System.Console.WriteLine("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"); } }\n',
        "network probe": "class P { static void Main() { try {"
        ' new System.Net.Sockets.TcpClient("127.0.0.1", 50051); System.Console.WriteLine(false); }'
        " catch { System.Console.WriteLine(true); } } }\n",
    },
    "javascript": {
        "fork bomb": "const { spawn } = require('child_process');\n"
        "for (;;) { try { spawn('/bin/sleep', ['60']); } catch (e) {} }\n",
        "memory bomb": "const a = [];\nfor (;;) a.push(Buffer.alloc(1 << 20, 1));\n",
        "output flood": "for (;;) console.log('y'.repeat(40));\n",
        "network probe": "const s = require('net').connect(50051, '127.0.0.1');\n"
        "s.on('error', () => console.log(true)); s.on('connect', () => { console.log(false); s.end(); });\n",
    },
    "ruby": {
        "fork bomb": "loop { fork { sleep 60 } rescue nil }\n",
        "memory bomb": "a = []\nloop { a << ('x' * (1 << 20)) }\n",
        "output flood": "loop { puts 'y' * 40 }\n",
        "network probe": "require 'socket'\nbegin\n  TCPSocket.new('127.0.0.1', 50051)\n  puts false\nrescue\n  puts true\nend\n",
    },
}
# What each attack may end as: never OK with credit, and the sandbox holds.
ENDS = {
    "fork bomb": {RunStatus.TIMEOUT, RunStatus.MEMORY_LIMIT, RunStatus.RUNTIME_ERROR, RunStatus.OK},
    "memory bomb": {
        RunStatus.MEMORY_LIMIT,
        RunStatus.RUNTIME_ERROR,
        RunStatus.TIMEOUT,
    },  # a GC may thrash first
    "output flood": {RunStatus.OUTPUT_LIMIT, RunStatus.TIMEOUT},
}


@pytest.mark.parametrize(
    ("lang", "attack"), [(lang, a) for lang, attacks in ATTACKS.items() for a in attacks]
)
async def test_attack_is_contained_in_every_language_family(sb: Sandbox, lang: str, attack: str) -> None:
    source = ATTACKS[lang][attack]
    if attack == "network probe":  # no network at all: the connection fails, the program says so
        r = await sb.execute(ExecuteSpec(lang, source, timeout_ms=10_000, memory_mb=256))
        assert r.status is RunStatus.OK and r.stdout.strip().lower() == "true", r
        return
    r = await sb.execute(ExecuteSpec(lang, source, timeout_ms=3_000, memory_mb=256))
    assert r.status in ENDS[attack], r
    if attack == "output flood":  # judged against the very line it floods with, it still earns nothing
        spec = JudgeSpec(lang, source, cases=(IOCase("", "y" * 40 + "\n"),), timeout_ms=3_000, memory_mb=256)
        judged = await sb.judge(spec)
        assert judged.passed == 0 and judged.tests[0].verdict is not Verdict.PASS, judged
    await assert_next_run_is_clean(sb)


@pytest.mark.parametrize("lang", list(ATTACKS))
async def test_exiting_before_the_output_earns_nothing(sb: Sandbox, lang: str) -> None:
    exits = {
        "go": 'package main\nimport "os"\nfunc main() { os.Exit(0) }\n',
        "rust": "fn main() { std::process::exit(0); }\n",
        "java": "public class Main { public static void main(String[] a) { System.exit(0); } }\n",
        "csharp": "class P { static void Main() { System.Environment.Exit(0); } }\n",
        "ruby": "exit 0\n",
        "javascript": "process.exit(0);\n",
    }
    r = await sb.judge(JudgeSpec(lang, exits[lang], cases=(IOCase("1 2\n", "3\n"),), timeout_ms=10_000))
    assert r.passed == 0 and r.tests[0].verdict is Verdict.WRONG_ANSWER, r


@pytest.mark.parametrize("lang", ["go", *sorted(EXIT_EARLY)])
async def test_exiting_before_its_own_tests_end_earns_nothing(sb: Sandbox, lang: str) -> None:
    row = ROWS[lang]
    prompt, good, hack = row["prompt"], row["completion"], EXIT_EARLY.get(lang, "")
    if lang == "go":  # MultiPL-E's Go prompts import only testing and fmt
        prompt = prompt.replace('"fmt"', '"fmt"\n    "os"')
        good, hack = "    _ = os.Args\n" + good, "    os.Exit(0)\n    return 0\n}\n"
    for source, passes in ((good, True), (hack, False)):
        spec = JudgeSpec(lang, source, prelude=prompt, test_code=row["tests"], timeout_ms=20_000)
        r = await sb.judge(spec)
        assert r.status is RunStatus.OK and r.tests[0].passed is passes, r
    await assert_next_run_is_clean(sb)
