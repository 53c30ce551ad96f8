"""Questions a user would ask, each with where the answer is in the man pages this
machine has (Debian's systemd 252, nftables, AppArmor). Written from the
option and section names only; the page text is read at run time, never copied.

Each row: (page, heading, question[, contains]). A retrieved chunk answers the
question when its title is ``page``, its heading path contains ``heading``
and, when given, its text contains ``contains`` (case and spacing ignored).
"""

QUESTIONS: list[tuple[str, ...]] = [
    # systemd.timer(5)
    (
        "systemd.timer(5)",
        "Persistent=",
        "my backup job should still run after the laptop was switched off at the scheduled time",
    ),
    (
        "systemd.timer(5)",
        "RandomizedDelaySec=",
        "spread out when many machines fire the same timer so they don't all hit the server at once",
    ),
    (
        "systemd.timer(5)",
        "WakeSystem=",
        "can a timer wake the computer from suspend to run a job",
    ),
    (
        "systemd.timer(5)",
        "OnCalendar=",
        "run something every monday at 3am like a cron entry",
    ),
    (
        "systemd.timer(5)",
        "Unit=",
        "start a differently named service from my timer instead of the one with the same name",
    ),
    ("systemd.timer(5)", "AccuracySec=", "why does my timer fire up to a minute late"),
    (
        "systemd.timer(5)",
        "OnBootSec=",
        "run a job fifteen minutes after the machine boots",
    ),
    (
        "systemd.timer(5)",
        "RemainAfterElapse=",
        "keep the timer loaded after it has fired once",
    ),
    (
        "systemd.timer(5)",
        "OnClockChange=",
        "trigger a unit when the system clock jumps or the timezone changes",
    ),
    (
        "systemd.timer(5)",
        "FixedRandomDelay=",
        "make the random delay the same on every run instead of different each time",
    ),
    (
        "systemd.timer(5)",
        "Default Dependencies",
        "what ordering dependencies do timer units get automatically",
    ),
    (
        "systemd.timer(5)",
        "OnUnitActiveSec=",
        "repeat a job every hour counted from when it last ran",
    ),
    # systemd.socket(5)
    (
        "systemd.socket(5)",
        "Accept=",
        "spawn one service instance per incoming connection like inetd",
    ),
    (
        "systemd.socket(5)",
        "ListenStream=",
        "listen on a TCP port or unix socket path for socket activation",
    ),
    (
        "systemd.socket(5)",
        "SocketMode=",
        "set the file permissions of the unix socket file",
    ),
    (
        "systemd.socket(5)",
        "SocketUser=",
        "make the socket file owned by a different user and group",
    ),
    (
        "systemd.socket(5)",
        "MaxConnections=",
        "limit how many simultaneous connections the socket accepts",
    ),
    (
        "systemd.socket(5)",
        "BindIPv6Only=",
        "listen only on IPv6 and not on IPv4 mapped addresses",
    ),
    (
        "systemd.socket(5)",
        "Backlog=",
        "size of the queue of connections waiting to be accepted",
    ),
    (
        "systemd.socket(5)",
        "Service=",
        "activate a service whose name differs from the socket's name",
    ),
    (
        "systemd.socket(5)",
        "TriggerLimitIntervalSec=",
        "the socket keeps triggering too often, how is that rate limited",
    ),
    (
        "systemd.socket(5)",
        "FileDescriptorName=",
        "give the passed file descriptor a name the daemon can look up",
    ),
    (
        "systemd.socket(5)",
        "ReusePort=",
        "allow several processes to bind the same port with SO_REUSEPORT",
    ),
    (
        "systemd.socket(5)",
        "KeepAlive=",
        "enable TCP keepalive probes on accepted connections",
    ),
    # systemd.service(5)
    (
        "systemd.service(5)",
        "Type=",
        "my daemon forks into the background, which service type do I need",
    ),
    (
        "systemd.service(5)",
        "Restart=",
        "restart the program automatically when it crashes",
    ),
    (
        "systemd.service(5)",
        "RestartSec=",
        "wait a few seconds before restarting a failed service",
    ),
    (
        "systemd.service(5)",
        "RemainAfterExit=",
        "a oneshot script should count as active after it finished",
    ),
    (
        "systemd.service(5)",
        "ExecStartPre=",
        "run a preparation command before the main process starts",
    ),
    (
        "systemd.service(5)",
        "TimeoutStopSec=",
        "how long does systemd wait for my service to stop before killing it",
    ),
    (
        "systemd.service(5)",
        "WatchdogSec=",
        "have systemd restart a hung daemon that stops sending keep-alive pings",
    ),
    (
        "systemd.service(5)",
        "PIDFile=",
        "tell systemd where the daemon writes its process id",
    ),
    (
        "systemd.service(5)",
        "SuccessExitStatus=",
        "treat exit code 42 as a clean exit instead of a failure",
    ),
    (
        "systemd.service(5)",
        "RuntimeMaxSec=",
        "kill the service if it has been running longer than a day",
    ),
    (
        "systemd.service(5)",
        "OOMPolicy=",
        "what happens to the service when the kernel out of memory killer kills one of its processes",
    ),
    (
        "systemd.service(5)",
        "ExecReload=",
        "what command runs when I do systemctl reload",
    ),
    # systemd.exec(5)
    ("systemd.exec(5)", "ProtectSystem=", "make /usr and /etc read-only for a service"),
    (
        "systemd.exec(5)",
        "PrivateTmp=",
        "give the service its own /tmp that other programs cannot see",
    ),
    (
        "systemd.exec(5)",
        "DynamicUser=",
        "run the service as a throwaway user allocated when it starts",
    ),
    (
        "systemd.exec(5)",
        "NoNewPrivileges=",
        "prevent the process from gaining privileges through setuid binaries",
    ),
    (
        "systemd.exec(5)",
        "CapabilityBoundingSet=",
        "drop all linux capabilities except binding to low ports",
    ),
    (
        "systemd.exec(5)",
        "PrivateNetwork=",
        "cut the service off from the network completely",
    ),
    (
        "systemd.exec(5)",
        "SystemCallFilter=",
        "only allow a whitelist of system calls with seccomp",
    ),
    (
        "systemd.exec(5)",
        "EnvironmentFile=",
        "load environment variables for the service from a file",
    ),
    (
        "systemd.exec(5)",
        "StateDirectory=",
        "have systemd create /var/lib/myapp owned by the service user",
    ),
    (
        "systemd.exec(5)",
        "LoadCredential=",
        "pass a secret file to the service without making it world readable",
    ),
    (
        "systemd.exec(5)",
        "ProtectHome=",
        "hide the users' home directories from the daemon",
    ),
    (
        "systemd.exec(5)",
        "MemoryDenyWriteExecute=",
        "forbid memory that is both writable and executable, which breaks JIT compilers",
    ),
    (
        "systemd.exec(5)",
        "RestrictAddressFamilies=",
        "only allow unix sockets and IPv4, no other socket types",
    ),
    (
        "systemd.exec(5)",
        "StandardOutput=",
        "send the program's stdout to a file instead of the journal",
    ),
    (
        "systemd.exec(5)",
        "WorkingDirectory=",
        "change into a specific directory before starting the program",
    ),
    (
        "systemd.exec(5)",
        "Nice=",
        "lower the CPU scheduling priority of a background job",
    ),
    # systemd.resource-control(5)
    (
        "systemd.resource-control(5)",
        "MemoryMax=",
        "hard cap on how much RAM the service may use before it gets OOM killed",
    ),
    (
        "systemd.resource-control(5)",
        "MemoryHigh=",
        "throttle a service that goes over a memory soft limit instead of killing it",
    ),
    (
        "systemd.resource-control(5)",
        "CPUQuota=",
        "limit a service to half of one CPU core",
    ),
    (
        "systemd.resource-control(5)",
        "CPUWeight=",
        "give one service a bigger share of CPU time than others when busy",
    ),
    (
        "systemd.resource-control(5)",
        "TasksMax=",
        "limit the number of processes and threads a service can create",
    ),
    (
        "systemd.resource-control(5)",
        "IOWeight=",
        "make a backup service get less disk bandwidth than interactive ones",
    ),
    (
        "systemd.resource-control(5)",
        "IPAddressDeny=",
        "block a service from talking to any IP address except localhost",
        "IPAddressAllow",
    ),
    (
        "systemd.resource-control(5)",
        "DeviceAllow=",
        "allow the service access only to /dev/null and one serial device",
    ),
    (
        "systemd.resource-control(5)",
        "Slice=",
        "put the service into a different cgroup slice",
    ),
    (
        "systemd.resource-control(5)",
        "Delegate=",
        "let a container manager create its own sub cgroups under my unit",
    ),
    ("systemd.resource-control(5)", "MemorySwapMax=", "stop a service from using swap"),
    ("systemd.resource-control(5)", "AllowedCPUs=", "pin a service to cores 2 and 3"),
    # nft(8)
    ("nft(8)", "-c, --check", "validate my firewall rules file without loading it"),
    ("nft(8)", "-f, --file", "load a ruleset from a file"),
    (
        "nft(8)",
        "SETS",
        "keep a list of blocked IP addresses that a rule can match against",
        "set",
    ),
    (
        "nft(8)",
        "CHAINS",
        "create a base chain hooked into input with a priority and drop policy",
        "hook",
    ),
    (
        "nft(8)",
        "VERDICT STATEMENT",
        "what is the difference between accept drop jump and goto",
        "jump",
    ),
    (
        "nft(8)",
        "NAT STATEMENTS",
        "masquerade outgoing traffic from my LAN behind the router's address",
        "masquerade",
    ),
    (
        "nft(8)",
        "LIMIT STATEMENT",
        "rate limit incoming pings to a few per second",
        "limit rate",
    ),
    (
        "nft(8)",
        "LOG STATEMENT",
        "log dropped packets with a prefix to the kernel log",
        "prefix",
    ),
    (
        "nft(8)",
        "MAPS",
        "map destination ports to verdicts or addresses in one lookup",
        "map",
    ),
    (
        "nft(8)",
        "CONNTRACK EXPRESSIONS",
        "allow packets of established and related connections",
        "established",
    ),
    (
        "nft(8)",
        "INCLUDE FILES",
        "split my ruleset over several files and include them",
        "include",
    ),
    ("nft(8)", "-a, --handle", "show rule handles so I can delete a single rule"),
    (
        "nft(8)",
        "REJECT STATEMENT",
        "reply with a tcp reset instead of silently dropping",
        "reset",
    ),
    (
        "nft(8)",
        "SYMBOLIC VARIABLES",
        "define a variable for my interface name and reuse it in rules",
        "define",
    ),
    # apparmor.d(5)
    ("apparmor.d(5)", "Access Modes", "what do the r w x letters mean in a file rule"),
    (
        "apparmor.d(5)",
        "Globbing",
        "match every file below a directory recursively in a profile path",
    ),
    (
        "apparmor.d(5)",
        "Capabilities",
        "allow a confined program to use a linux capability like net_admin",
    ),
    (
        "apparmor.d(5)",
        "Network Rules",
        "permit only tcp networking for a confined program",
    ),
    (
        "apparmor.d(5)",
        "#include mechanism",
        "reuse common abstractions in several profiles",
    ),
    ("apparmor.d(5)", "Variables", "define @{HOME} style variables in a profile"),
    (
        "apparmor.d(5)",
        "Profile Head",
        "set the profile to complain mode with flags",
        "complain",
    ),
    (
        "apparmor.d(5)",
        "Signal rules",
        "let one confined process send signals to another",
    ),
    ("apparmor.d(5)", "DBus rules", "restrict which dbus methods a program may call"),
    ("apparmor.d(5)", "Mount Rules", "allow a profile to mount a filesystem"),
    ("apparmor.d(5)", "Rule Qualifiers", "deny access and do not log it", "deny"),
    (
        "apparmor.d(5)",
        "Access Modes Details",
        "difference between ix px and ux when executing another program",
        "ix",
    ),
]
