// hubguard built-in rules. They run over code that would execute when a model or dataset is
// loaded (code strings recovered from pickles, every decoded layer, pseudo-source recovered
// from marshalled bytecode, Python source files), never over tensor data.
//
// Every rule carries meta:
//   category    one behaviour class: reverse-shell, credential-theft, reconnaissance,
//               downloader, shell-command, code-execution, destructive, persistence,
//               crypto-mining, file-access, obfuscation
//   severity    critical | high | medium | low | info
//   verdict     malicious | dangerous | suspicious
//   description one sentence for the report
// User rules (--rules DIR) may use the same meta; missing meta defaults to
// category "custom", severity medium, verdict suspicious.

// ---------------------------------------------------------------- reverse shells

rule reverse_shell_dev_tcp
{
  meta:
    category = "reverse-shell"
    severity = "critical"
    verdict = "malicious"
    description = "shell redirected to a network socket through /dev/tcp or /dev/udp"
  strings:
    $dev = /\/dev\/(tcp|udp)\/[A-Za-z0-9.\-:\[\]]{1,255}\/[0-9]{1,5}/
  condition:
    $dev
}

rule reverse_shell_interactive_redirect
{
  meta:
    category = "reverse-shell"
    severity = "critical"
    verdict = "malicious"
    description = "interactive shell with its input and output redirected"
  strings:
    $i = /\b(ba|z|da|k)?sh\s+-i\b/
    $r1 = "0>&1"
    $r2 = ">&"
    $r3 = "2>&1"
  condition:
    $i and ($r1 or ($r2 and $r3))
}

rule reverse_shell_netcat_exec
{
  meta:
    category = "reverse-shell"
    severity = "critical"
    verdict = "malicious"
    description = "netcat connecting out and handing the connection to a shell"
  strings:
    $e = /\b(nc|ncat|netcat)(\.traditional|\.openbsd)?\s[^\n|;&]{0,80}-[a-z]*[ec]\s*(\/bin\/|\/usr\/bin\/)?(ba|z|da)?sh\b/
    $fifo = /mkfifo\s[^\n]{0,120}\|\s*(nc|ncat|netcat)\s/
    $fifo2 = /\|\s*(nc|ncat|netcat)\s[^\n]{0,80}>\s*\/tmp\//
  condition:
    any of them
}

rule reverse_shell_socket_dup2
{
  meta:
    category = "reverse-shell"
    severity = "critical"
    verdict = "malicious"
    description = "socket connected out, duplicated onto stdin/stdout and a shell started"
  strings:
    $sock = "socket" fullword
    $connect = ".connect("
    $dup = "dup2"
    $sh1 = /\/bin\/(ba|z|da)?sh\b/
    $sh2 = "pty.spawn"
    $sh3 = "cmd.exe" nocase
    $sh4 = /subprocess\.(call|Popen|run)\(\s*\[?\s*["'](ba|z)?sh["']/
  condition:
    $sock and $connect and $dup and any of ($sh*)
}

rule reverse_shell_socket_fileno
{
  meta:
    category = "reverse-shell"
    severity = "critical"
    verdict = "malicious"
    description = "process started with its standard streams bound to a network socket"
  strings:
    $connect = ".connect("
    $fileno = /std(in|out|err)\s*=\s*[A-Za-z_][A-Za-z0-9_]*\.fileno\(\)/
  condition:
    $connect and $fileno
}

rule reverse_shell_pty_socket
{
  meta:
    category = "reverse-shell"
    severity = "critical"
    verdict = "malicious"
    description = "pty.spawn of a shell in a program that connects a socket"
  strings:
    $connect = ".connect("
    $pty = /pty\.spawn\(\s*["'](\/bin\/)?(ba|z|da)?sh["']/
  condition:
    $connect and $pty
}

rule reverse_shell_powershell_tcpclient
{
  meta:
    category = "reverse-shell"
    severity = "critical"
    verdict = "malicious"
    description = "PowerShell TCP client piping a stream into Invoke-Expression"
  strings:
    $tcp = "Net.Sockets.TCPClient" nocase
    $stream = "GetStream" nocase
    $iex1 = "iex" nocase fullword
    $iex2 = "Invoke-Expression" nocase
  condition:
    $tcp and $stream and any of ($iex*)
}

// ---------------------------------------------------------------- credential theft

rule credential_theft_browser_stores
{
  meta:
    category = "credential-theft"
    severity = "critical"
    verdict = "malicious"
    description = "reads browser password, cookie or key stores"
  strings:
    $chrome_login = "Login Data"
    $chrome_state = "Local State"
    $chrome_key = "encrypted_key"
    $chrome_web = "Web Data"
    $ff_logins = "logins.json"
    $ff_key4 = "key4.db"
    $ff_key3 = "key3.db"
    $ff_cookies = "cookies.sqlite"
    $chrome_dir = /Google[\/\\]+Chrome|google-chrome|BraveSoftware|Microsoft[\/\\]+Edge|Mozilla[\/\\]+Firefox|\.mozilla[\/\\]+firefox/ nocase
  condition:
    $chrome_login or $ff_logins or $ff_key4 or $ff_key3 or ($chrome_state and $chrome_key) or
    ($chrome_dir and ($chrome_web or $ff_cookies or $chrome_state))
}

rule credential_theft_key_files
{
  meta:
    category = "credential-theft"
    severity = "critical"
    verdict = "malicious"
    description = "reads SSH keys, cloud credentials or access tokens"
  strings:
    $ssh = /\.ssh[\/\\]+id_(rsa|dsa|ecdsa|ed25519)/
    $aws = /\.aws[\/\\]+credentials/
    $gcloud = /\.config[\/\\]+gcloud[\/\\]/
    $azure = /\.azure[\/\\]+(accessTokens|msal_token_cache|azureProfile)/
    $kube = /\.kube[\/\\]+config/
    $docker = /\.docker[\/\\]+config\.json/
    $netrc = /[~\/\\]\.netrc\b/
    $gitcred = ".git-credentials"
    $pypirc = /[~\/\\]\.pypirc\b/
    $hf = /huggingface[\/\\]+(token|stored_tokens)\b/
    $shadow = "/etc/shadow"
  condition:
    any of them
}

rule credential_theft_wallets
{
  meta:
    category = "credential-theft"
    severity = "critical"
    verdict = "malicious"
    description = "reads cryptocurrency wallet files"
  strings:
    $dat = "wallet.dat"
    $electrum = /Electrum[\/\\]+wallets/ nocase
    $exodus = /Exodus[\/\\]+exodus\.wallet/ nocase
    $metamask = "nkbihfbeogaeaoehlefnkodbefgpgknn"
    $keystore = /Ethereum[\/\\]+keystore/ nocase
    $atomic = /atomic[\/\\]+Local Storage/ nocase
  condition:
    any of them
}

rule credential_theft_keylogger
{
  meta:
    category = "credential-theft"
    severity = "high"
    verdict = "malicious"
    description = "records keystrokes"
  strings:
    $pynput = /pynput\.keyboard|from\s+pynput\s+import\s+keyboard/
    $listener = "Listener"
    $hook = "SetWindowsHookEx"
  condition:
    ($pynput and $listener) or $hook
}

// ---------------------------------------------------------------- reconnaissance

rule reconnaissance_host_commands
{
  meta:
    category = "reconnaissance"
    severity = "high"
    verdict = "malicious"
    description = "collects host, user or network facts with system commands"
  strings:
    $whoami = /\bwhoami(\s|$|;|&|\||'|")/
    $uname = /\buname\s+-a\b/
    $passwd = /\bcat\s+\/etc\/(passwd|group|hosts)\b/
    $ipconfig = /\bipconfig\s+\/all\b/ nocase
    $systeminfo = /\bsysteminfo(\s|$|'|")/ nocase
    $netuser = /\bnet\s+(user|localgroup|group)\b/ nocase
    $ifconfig = /\b(ifconfig|ip\s+addr)(\s|$|'|")/
    $ps = /\bps\s+(aux|-ef)\b/
    $arp = /\barp\s+-a\b/
  condition:
    any of them
}

rule reconnaissance_python_host_facts
{
  meta:
    category = "reconnaissance"
    severity = "medium"
    verdict = "suspicious"
    description = "gathers several host facts (user, host name, platform, environment)"
  strings:
    $a = "getpass.getuser()"
    $b = "socket.gethostname()"
    $c = "platform.node()"
    $d = "platform.platform()"
    $e = "platform.uname()"
    $f = "os.uname()"
    $g = "dict(os.environ)"
    $h = "os.getlogin()"
    $i = "/etc/passwd"
  condition:
    3 of them
}

// ---------------------------------------------------------------- downloaders and droppers

rule downloader_pipe_to_shell
{
  meta:
    category = "downloader"
    severity = "critical"
    verdict = "malicious"
    description = "downloads a script and pipes it straight into a shell"
  strings:
    $pipe = /\b(curl|wget)\s[^\n|;]{0,300}\|\s*(sudo\s+)?(\/bin\/|\/usr\/bin\/)?(ba|z|da)?sh\b/
    $pipe_py = /\b(curl|wget)\s[^\n|;]{0,300}\|\s*(sudo\s+)?python[0-9.]*(\s+-)?\s*($|[;&)'"])/
    $subst = /(ba)?sh\s+(-c\s+)?["']?\$\(\s*(curl|wget)\s/
  condition:
    any of them
}

rule downloader_fetch_and_run
{
  meta:
    category = "downloader"
    severity = "critical"
    verdict = "malicious"
    description = "downloads a file, makes it executable and runs it"
  strings:
    $dl = /\b(curl|wget)\s/
    $chmod = /chmod\s+(\+x|[0-7]?7[0-7][0-7])\s/
    $run = /(&&|;)\s*(\.\/|\/tmp\/|\/dev\/shm\/|\/var\/tmp\/)[A-Za-z0-9_.\-\/]+/
  condition:
    $dl and $chmod and $run
}

rule downloader_python_exec_remote
{
  meta:
    category = "downloader"
    severity = "critical"
    verdict = "malicious"
    description = "downloads Python code and executes it"
  strings:
    $urlopen = /(exec|eval)\s*\(\s*(urllib\.request\.|urllib2\.|request\.)?urlopen\(/
    $requests = /(exec|eval)\s*\(\s*requests\.get\(/
    $read = /(exec|eval)\s*\([^\n]{0,200}(urlopen|requests\.get|httpx\.get)\([^\n]{0,200}\)\.(read\(\)|text|content)/
  condition:
    any of them
}

rule downloader_windows_cradle
{
  meta:
    category = "downloader"
    severity = "critical"
    verdict = "malicious"
    description = "Windows download cradle (PowerShell, certutil, bitsadmin, mshta)"
  strings:
    $ps = /(DownloadString|DownloadFile|Invoke-WebRequest|iwr)\s*\(?[^\n]{0,200}(IEX|Invoke-Expression|Start-Process)/ nocase
    $ps2 = /(IEX|Invoke-Expression)\s*\(?\s*\(?\s*New-Object\s+(System\.)?Net\.WebClient/ nocase
    $certutil = /certutil(\.exe)?\s+[^\n]{0,40}-urlcache/ nocase
    $bits = /bitsadmin(\.exe)?\s+\/transfer/ nocase
    $mshta = /mshta(\.exe)?\s+https?:/ nocase
  condition:
    any of them
}

// ---------------------------------------------------------------- crypto mining

rule crypto_mining
{
  meta:
    category = "crypto-mining"
    severity = "critical"
    verdict = "malicious"
    description = "cryptocurrency miner or mining pool"
  strings:
    $stratum = /stratum\+(tcp|ssl|tls):\/\// nocase
    $xmrig = "xmrig" nocase fullword
    $pool1 = "minexmr.com" nocase
    $pool2 = "supportxmr.com" nocase
    $pool3 = "nanopool.org" nocase
    $pool4 = "moneroocean.stream" nocase
    $pool5 = "2miners.com" nocase
    $pool6 = "f2pool.com" nocase
    $pool7 = "hashvault.pro" nocase
    $pool8 = "unmineable.com" nocase
    $donate = "--donate-level"
  condition:
    any of them
}

// ---------------------------------------------------------------- persistence

rule persistence_shell_profile
{
  meta:
    category = "persistence"
    severity = "high"
    verdict = "malicious"
    description = "appends to a shell start-up file or authorized_keys"
  strings:
    $append = />>\s*["']?(~|\$HOME|\/root|\/home\/[^\/\s]+)?\/?\.(bashrc|zshrc|profile|bash_profile|zprofile)\b/
    $open = /\.(bashrc|zshrc|bash_profile|zprofile|profile)["'][^\n)]{0,60}["']a\+?["']/
    $keys = />>\s*["']?\S*\.ssh\/authorized_keys|authorized_keys["'][^\n)]{0,60}["']a\+?["']/
  condition:
    any of them
}

rule persistence_scheduled
{
  meta:
    category = "persistence"
    severity = "high"
    verdict = "malicious"
    description = "installs a cron job, systemd unit, autostart entry or Run key"
  strings:
    $crontab = /crontab\s+(-l\s*[;|&)]|-\s|\S+\.(txt|cron)\b)/
    $crondir = /\/(etc\/cron\.(d|daily|hourly)|var\/spool\/cron)\//
    $systemd = /\/(etc\/systemd\/system|\.config\/systemd\/user)\/[A-Za-z0-9_.\-]+\.service/
    $enable = /systemctl\s+(--user\s+)?enable\s/
    $autostart = /\.config\/autostart\/[^\s'"]+\.desktop/
    $runkey = /CurrentVersion\\+Run(Once)?\b/ nocase
    $schtasks = /schtasks(\.exe)?\s+\/create/ nocase
    $launchagent = /Library\/Launch(Agents|Daemons)\/[^\s'"]+\.plist/
  condition:
    any of them
}

// ---------------------------------------------------------------- exfiltration endpoints

rule exfiltration_webhook
{
  meta:
    category = "credential-theft"
    severity = "high"
    verdict = "malicious"
    description = "sends data to a chat webhook or request collector (exfiltration endpoint)"
  strings:
    $discord = /discord(app)?\.com\/api\/webhooks\/[0-9]+/ nocase
    $telegram = /api\.telegram\.org\/bot[0-9]+:/ nocase
    $slack = "hooks.slack.com/services/" nocase
    $webhooksite = "webhook.site/" nocase
    $requestbin = /\.(requestbin\.(com|net)|pipedream\.net|m\.pipedream\.net)\b/ nocase
    $interactsh = /\.(interact\.sh|oast\.(pro|live|site|online|fun|me)|oastify\.com|burpcollaborator\.net)\b/ nocase
  condition:
    any of them
}

rule exfiltration_paste_and_tunnels
{
  meta:
    category = "downloader"
    severity = "high"
    verdict = "malicious"
    description = "talks to a paste site, anonymous file host or tunnelling service"
  strings:
    $pastebin = /pastebin\.com\/(raw|api|dl)\b/ nocase
    $hastebin = /(hastebin\.com|paste\.ee|ghostbin\.\w+|rentry\.co)\/(raw|r)\// nocase
    $transfer = /\btransfer\.sh\/[A-Za-z0-9]/ nocase
    $ngrok = /[a-z0-9\-]+\.(ngrok\.io|ngrok-free\.app|ngrok\.app|tcp\.ngrok\.io)\b/ nocase
    $anon = /\b(anonfiles\.com|file\.io|0x0\.st)\// nocase
  condition:
    any of them
}

// ---------------------------------------------------------------- destructive

rule destructive_wipe
{
  meta:
    category = "destructive"
    severity = "critical"
    verdict = "malicious"
    description = "deletes or overwrites the whole file system, the home directory or a disk"
  strings:
    $rm = /\brm\s+(-[a-zA-Z]*[rR][a-zA-Z]*\s+(-[a-zA-Z]+\s+)*|--recursive\s+)(--no-preserve-root\s+)?(\/\*?|~\/?\*?|\$HOME\/?\*?)(\s|$|;|&|'|")/
    $rmtree = /shutil\.rmtree\(\s*(["']\/["']|["']~["']|os\.path\.expanduser\(\s*["']~["']\s*\)|["']C:\\\\?["'])/
    $mkfs = /\bmkfs(\.[a-z0-9]+)?\s+\/dev\//
    $dd = /\bdd\s+if=\/dev\/(zero|urandom|random)\s+of=\/dev\/(sd|nvme|hd|xvd|vd)/
    $fork = ":(){ :|:& };:"
    $del = /\bdel\s+\/[fsq]\s+\/[fsq]\s+(\/[fsq]\s+)?[A-Z]:\\/ nocase
    $format = /\bformat\s+[C-Z]:\s*\/[qy]/ nocase
  condition:
    any of them
}

// ---------------------------------------------------------------- obfuscation

rule obfuscation_exec_decoded
{
  meta:
    category = "obfuscation"
    severity = "high"
    verdict = "malicious"
    description = "executes code that is decoded or decompressed at run time"
  strings:
    $a = /(exec|eval)\s*\(\s*(base64\.(b64|b32|b16|urlsafe_b64|a85|b85)decode|zlib\.decompress|bz2\.decompress|lzma\.decompress|gzip\.decompress|codecs\.decode|marshal\.loads|bytes\.fromhex|binascii\.(a2b_base64|unhexlify))/
    $b = /(exec|eval)\s*\(\s*__import__\(\s*["'](base64|zlib|bz2|lzma|gzip|codecs|marshal|binascii)["']\s*\)/
    $c = /(exec|eval)\s*\(\s*compile\(\s*(base64|zlib|marshal|codecs|bytes\.fromhex)/
    $d = /(exec|eval)\s*\(\s*["'][^"'\n]{0,40}["']\.join\(\s*(map\(\s*chr|chr\(|\[\s*chr\()/
  condition:
    any of them
}

rule obfuscation_powershell_encoded
{
  meta:
    category = "obfuscation"
    severity = "high"
    verdict = "malicious"
    description = "PowerShell with an encoded command"
  strings:
    $enc = /powershell(\.exe)?\s[^\n]{0,80}-(e|en|enc|encodedcommand)\s+[A-Za-z0-9+\/=]{16,}/ nocase
  condition:
    $enc
}

// ---------------------------------------------------------------- file access

rule file_access_home_sweep
{
  meta:
    category = "file-access"
    severity = "medium"
    verdict = "suspicious"
    description = "walks the user's home directory or the whole file system"
  strings:
    $walk_home = /os\.walk\(\s*(os\.path\.expanduser\(\s*["']~["']\s*\)|Path\.home\(\)|["']~["']|["']\/["']|["']\/home["']|["']C:\\\\?Users)/
    $glob_home = /glob\(\s*[^\n)]{0,60}(~|\/home\/\*|Users\\\\?\*)[^\n)]{0,40}\*\*/
  condition:
    any of them
}
