using System.ComponentModel.DataAnnotations;

namespace Byot.Runner.Options;

public sealed class RunnerOptions : IValidatableObject
{
    public const string Section = "Byot:Runner";

    /// <summary>Names this runner on its containers; must be unique per process sharing one Docker engine, and stable
    /// across restarts so the runner can remove what a crash of itself left behind.</summary>
    [Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    public string Id { get; set; } = Environment.MachineName;

    /// <summary>The location this Runner runs tests from: it receives only from that location's queues (all their
    /// shards). Lower case, a letter first, at most 24 characters; Byot:Locations:Known on the Functions app lists it.</summary>
    [Required, RegularExpression("^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,23}$", ErrorMessage = "Byot:Runner:Location must be a location name: lower case letters, digits and single dashes, a letter first, at most 24 characters (for example eu-west).")]
    public string Location { get; set; } = Byot.Shared.Locations.LocationNames.Default;

    [Range(1, 256)]
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>How long a received message stays hidden; the heartbeat renews it (and the run's lease) at a third of this.</summary>
    [Range(5, 3_600)]
    public int VisibilityTimeoutSeconds { get; set; } = 60;

    /// <summary>Longest wait between queue polls when idle; polling speeds up again as soon as work arrives. Queued runs
    /// wake the runner through Postgres at once, so this only bounds how late a lost wake-up is noticed.</summary>
    [Range(50, 10_000)]
    public int MaxIdlePollMilliseconds { get; set; } = 1_000;

    /// <summary>Deliveries after which a message is moved to the poison queue and its run closed as infra_error.</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Attempts a run gets when each ends in infra_error (engine down, image missing, storage unreachable);
    /// the last one is recorded as the final infra_error. A run re-claimed after a lost lease counts as an attempt.</summary>
    [Range(1, 20)]
    public int MaxInfraAttempts { get; set; } = 3;

    /// <summary>Delay before a run that hit an infrastructure error becomes visible again.</summary>
    [Range(0, 3_600)]
    public int InfraRetryDelaySeconds { get; set; } = 15;

    [Required]
    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>Where downloaded artifacts are cached by sha256.</summary>
    [Required]
    public string ArtifactCacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "byot-artifacts");

    /// <summary>Per-run log cap; output past it is drained and dropped behind a truncation marker.</summary>
    [Range(1_024, 1L << 40)]
    public long LogCapBytes { get; set; } = 16L * 1024 * 1024;

    [Range(10, 10_000)]
    public int LogFlushMilliseconds { get; set; } = 250;

    /// <summary>Most log bytes a run keeps in memory while the log blob cannot be written; past it the runner stops
    /// reading the container's output (the test blocks on its writes) until the blob takes the backlog.</summary>
    [Range(65_536, 1L << 32)]
    public long LogBufferBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>Retries (exponential backoff from <see cref="LogRetryDelayMilliseconds"/>) of a log append that must
    /// succeed: the final one, or one with the buffer full. Exhausted: the run ends as infra_error, never passed.</summary>
    [Range(0, 100)]
    public int LogRetryAttempts { get; set; } = 6;

    [Range(1, 60_000)]
    public int LogRetryDelayMilliseconds { get; set; } = 1_000;

    /// <summary>Retries (exponential backoff with jitter from <see cref="RecordRetryDelayMilliseconds"/>, at most 10 s
    /// apart) of every Runner query (claim, lease, result) when the database is unreachable, for example while Postgres restarts.</summary>
    [Range(0, 100)]
    public int RecordRetryAttempts { get; set; } = 8;

    [Range(1, 60_000)]
    public int RecordRetryDelayMilliseconds { get; set; } = 500;

    [Range(0, 300)]
    public int StopGraceSeconds { get; set; } = 5;

    [Range(8, 100_000)]
    public int PidsLimit { get; set; } = 256;

    [Range(1, 65_536)]
    public int TmpfsMb { get; set; } = 64;

    /// <summary>Size of a test container's /dev/shm. Chromium keeps its shared memory there; the pages count against
    /// the test's memory limit, so a larger size gives no test more memory than docker_memory_mb.</summary>
    [Range(1, 65_536)]
    public int ShmMb { get; set; } = 256;

    /// <summary>User every test runs as when <see cref="UidRangeSize"/> is 0; otherwise unused.</summary>
    [Required]
    public string User { get; set; } = "65532:65532";

    /// <summary>First uid (and gid) of the range each concurrent run gets its own uid from.</summary>
    [Range(1, int.MaxValue - 1_000_000)]
    public int UidRangeStart { get; set; } = 65532;

    /// <summary>How many uids the range holds; at least <see cref="MaxConcurrentRuns"/> (+2: 65534 and 65535 are skipped).
    /// 0 runs every test as <see cref="User"/>.</summary>
    [Range(0, 1_000_000)]
    public int UidRangeSize { get; set; } = 1024;

    /// <summary>BYOT's own bridge network for tests that ask for one (created by the runner, inter-container traffic
    /// off); tests without network get <c>none</c>.</summary>
    [Required, RegularExpression("^(?!(bridge|host|none|default)$)[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", ErrorMessage = "Byot:Runner:EgressNetwork must name BYOT's own network, not Docker's bridge, host or none.")]
    public string EgressNetwork { get; set; } = "byot-egress";

    /// <summary>Linux name of that network's bridge interface; the egress rules match on it.</summary>
    [Required, RegularExpression("^[a-z][a-z0-9]{0,14}$")]
    public string EgressBridge { get; set; } = "byot0";

    /// <summary>IPv4 addresses or CIDRs network-enabled tests may not reach, on top of 169.254.0.0/16, the bridge
    /// gateway and the runner host's own addresses (for example 10.0.0.0/8 when every target is public).</summary>
    public IList<string> EgressDenyCidrs { get; set; } = [];

    /// <summary>IPv4 addresses or CIDRs reachable even inside a denied range (checked first).</summary>
    public IList<string> EgressAllowCidrs { get; set; } = [];

    /// <summary>iptables binary (iptables-restore next to it) used to install and verify the egress rules.</summary>
    [Required]
    public string Iptables { get; set; } = "iptables";

    /// <summary>Most bytes a bundle may unpack to in /app (checked again here; uploads are checked too).</summary>
    [Range(1, long.MaxValue)]
    public long MaxBundleBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    [Range(1, 10_000_000)]
    public int MaxBundleEntries { get; set; } = 100_000;

    /// <summary>Bundle versions kept baked into local images (app at /app in the read-only root); the least recently
    /// used beyond this are removed. 0 turns baking off: every run unpacks the bundle into a fresh volume.</summary>
    [Range(0, 10_000)]
    public int MaxAppImages { get; set; } = 32;

    /// <summary>Files kept from a run's /artifacts; the rest are listed in the run log as not kept.</summary>
    [Range(0, 10_000)]
    public int MaxArtifactFiles { get; set; } = 100;

    /// <summary>Bytes kept from a run's /artifacts in all.</summary>
    [Range(0, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Cases kept per run (all attempts together); past it they are counted and the run is marked
    /// <c>casesTruncated</c> (docs/cases.md).</summary>
    [Range(1, 1_000_000)]
    public int MaxCasesPerRun { get; set; } = Byot.Shared.Cases.CaseLimits.Default.MaxCases;

    /// <summary>The isolation floor: <c>auto</c> (gVisor when the engine has <see cref="GvisorRuntime"/> registered,
    /// else runc), <c>runc</c>, or <c>gvisor</c> (the Runner refuses to start without it). A test may ask for gVisor,
    /// never for less than this.</summary>
    public IsolationMode Isolation { get; set; } = IsolationMode.Runc;

    /// <summary>The engine runtime name of gVisor for tests without network (runsc with <c>--network=none</c>).</summary>
    [Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    public string GvisorRuntime { get; set; } = "byot-gvisor";

    /// <summary>The engine runtime name of gVisor for network-enabled tests (runsc with <c>--network=host</c>: gVisor
    /// passes its sockets to the container's own network namespace, so BYOT's bridge and egress rules still apply).</summary>
    [Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    public string GvisorNetworkRuntime { get; set; } = "byot-gvisor-net";

    /// <summary>The engine's pids limit for a container under gVisor, a backstop behind the test's own limit
    /// (<see cref="PidsLimit"/> as RLIMIT_NPROC inside the sandbox). It counts gVisor's own host processes and threads
    /// too: measured on Debian's runsc, 1 guest process used 51 host pids, 20 used 191, 100 used 891; keep it above
    /// about 9 × PidsLimit + 64.</summary>
    [Range(64, 1_000_000)]
    public int GvisorPidsLimit { get; set; } = 4_096;

    /// <summary>Size limit of a run's /artifacts volume, MiB.</summary>
    [Range(16, 1_048_576)]
    public int ArtifactsVolumeMb { get; set; } = 512;

    /// <summary>How <see cref="ArtifactsVolumeMb"/> is enforced; see docs/security.md. (/app needs no limit of its own:
    /// it holds the unpacked bundle, bounded by <see cref="MaxBundleBytes"/>, and belongs to root, so the test cannot
    /// write there.)</summary>
    public VolumeQuotaMode VolumeQuota { get; set; } = VolumeQuotaMode.Watch;

    /// <summary>Largest text file from /artifacts masked for the test's secrets before it is kept; a larger text file
    /// is not kept while the test has secrets (binary files are kept as they are).</summary>
    [Range(0, 1L << 31)]
    public long MaxMaskedArtifactBytes { get; set; } = 16L * 1024 * 1024;

    [Required, MinLength(1)]
    public IDictionary<string, RuntimeImage> Runtimes { get; set; } = new Dictionary<string, RuntimeImage>(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, list) in new[] { (nameof(EgressDenyCidrs), EgressDenyCidrs), (nameof(EgressAllowCidrs), EgressAllowCidrs) })
        {
            foreach (var value in list)
            {
                string? error = null;
                try
                {
                    Network.EgressPolicy.Cidr(value);
                }
                catch (FormatException e)
                {
                    error = e.Message;
                }
                catch (ArgumentException e)
                {
                    error = e.Message;
                }

                if (error is not null)
                {
                    yield return new ValidationResult($"Byot:Runner:{name} holds '{value}', which is not an IPv4 address or CIDR with zero host bits: {error}", [name]);
                }
            }
        }

        if (UidRangeSize is > 0 && UidRangeSize < MaxConcurrentRuns + 2)
        {
            yield return new ValidationResult(
                $"Byot:Runner:UidRangeSize ({UidRangeSize}) must be 0 or at least MaxConcurrentRuns + 2 ({MaxConcurrentRuns + 2}), so concurrent runs never share a uid.",
                [nameof(UidRangeSize)]);
        }
    }
}
