using System.Globalization;
using System.Text.RegularExpressions;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>docs/reliability.md rows 11, 12, 14, 15, 16 and 17: hostile or careless tests in real containers on the real engine.</summary>
public sealed class ContainerHardeningTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Theory]
    [InlineData(0, "passed")]
    [InlineData(1, "failed")]
    [InlineData(42, "failed")]
    [InlineData(255, "failed")]
    public async Task Exit_code_is_stored_exactly_and_decides_passed_or_failed(int code, string status)
    {
        var (runId, run) = await kit.RunAsync(RunnerKit.Shell($"echo exiting {code}\nexit {code}"));

        Assert.Equal(status, run.GetProperty("status").GetString());
        Assert.Equal(code, run.GetProperty("exitCode").GetInt32());
        Assert.Contains($"[stdout] exiting {code}", await kit.LogAsync(runId), StringComparison.Ordinal);
        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    [Fact]
    public async Task Fork_bomb_hits_the_pids_limit_and_the_runner_stays_healthy()
    {
        // Counts how many processes it could start before fork failed, then keeps forking for real.
        var bomb = TestPrograms.Compile("""
            #include <stdio.h>
            #include <unistd.h>
            int main(void) {
              int started = 0;
              while (started < 10000) {
                pid_t pid = fork();
                if (pid < 0) break;
                if (pid == 0) { pause(); return 0; }
                started++;
              }
              printf("started %d processes\n", started);
              fflush(stdout);
              for (;;) { if (fork() == 0) { for (;;) fork(); } }
            }
            """);
        var (runId, run) = await kit.RunAsync(bomb, ("timeout", "3"));

        var log = await kit.LogAsync(runId);
        Assert.True(run.GetProperty("status").GetString() is "failed" or "timed_out", run.ToString());
        var count = Regex.Match(log, @"started (\d+) processes");
        Assert.True(count.Success, log);
        var started = int.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(started, 1, 64);
        await RunnerKit.AssertCleanedUpAsync(runId);

        var (_, next) = await kit.RunAsync(RunnerKit.Shell("echo still fine"));
        Assert.Equal("passed", next.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Memory_hog_is_oom_killed_and_recorded_as_oom()
    {
        var hog = TestPrograms.Compile("""
            #include <stdlib.h>
            #include <string.h>
            #include <stdio.h>
            int main(void) {
              for (int i = 0; i < 1024; i++) {
                char *p = malloc(1 << 20);
                if (!p) { puts("malloc failed"); return 3; }
                memset(p, i, 1 << 20);
              }
              puts("allocated 1 GiB unharmed");
              return 0;
            }
            """);
        var (runId, run) = await kit.RunAsync(hog, ("docker_memory_mb", "32"));

        Assert.DoesNotContain("unharmed", await kit.LogAsync(runId), StringComparison.Ordinal);
        if (run.GetProperty("isolation").GetString() == "gvisor" && run.GetProperty("status").GetString() == "failed")
        {
            // The sandbox is killed by the memory cgroup all the same, but the engine does not always learn that it
            // was an OOM kill (docs/isolation.md): the run is then a plain SIGKILL failure, never a pass.
            Assert.Equal(137, run.GetProperty("exitCode").GetInt32());
        }
        else
        {
            Assert.Equal("oom", run.GetProperty("status").GetString());
            Assert.Contains("memory limit", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    [Fact]
    public async Task Test_that_ignores_sigterm_is_killed_after_the_grace_and_timed_out()
    {
        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("""
            trap 'echo got TERM, ignoring' TERM
            echo waiting
            while true; do sleep 1; done
            """), ("timeout", "2"));

        Assert.Equal("timed_out", run.GetProperty("status").GetString());
        Assert.InRange(run.GetProperty("durationMs").GetInt64(), 2_000, 15_000);
        var log = await kit.LogAsync(runId);
        Assert.Contains("[stdout] waiting", log, StringComparison.Ordinal);
        Assert.Contains("timeout", log, StringComparison.Ordinal);
        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    [Fact]
    public async Task Root_filesystem_is_read_only_and_tmp_is_bounded()
    {
        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("""
            touch /should-not-exist 2>/dev/null && echo "root: WRITABLE" || echo "root: refused"
            echo "root refused because: $(touch /should-not-exist 2>&1)"
            while read -r device point type options rest; do [ "$point" = / ] && echo "root mounted: ${options%%,*}"; done < /proc/self/mounts
            touch /app/should-not-exist 2>/dev/null && echo "app: WRITABLE" || echo "app: refused"
            echo x > /tmp/ok && echo "tmp: writable"
            dd if=/dev/zero of=/tmp/fill bs=1048576 count=100 2>/dev/null && echo "tmp: UNBOUNDED" || echo "tmp: full at $(wc -c < /tmp/fill) bytes"
            echo x > /artifacts/ok && echo "artifacts: writable"
            """));

        var log = await kit.LogAsync(runId);
        Assert.True(run.GetProperty("status").GetString() == "passed", log);
        Assert.Contains("[stdout] root: refused", log, StringComparison.Ordinal);
        // As uid 65532 a write to / fails with "Permission denied" on a writable root too: only the reason and the
        // mount options tell that the root file system itself is read-only. gVisor checks permissions before the
        // read-only flag (its answer is EACCES either way), so under it the mount table is what tells.
        if (run.GetProperty("isolation").GetString() != "gvisor")
        {
            Assert.Contains("[stdout] root refused because: touch: /should-not-exist: Read-only file system", log, StringComparison.Ordinal);
        }

        Assert.Matches(@"\[stdout\] root mounted: ro\r?\n", log);
        Assert.Contains("[stdout] app: refused", log, StringComparison.Ordinal);
        Assert.Contains("[stdout] tmp: writable", log, StringComparison.Ordinal);
        var full = Regex.Match(log, @"\[stdout\] tmp: full at (\d+) bytes");
        Assert.True(full.Success, log);
        Assert.InRange(long.Parse(full.Groups[1].Value, CultureInfo.InvariantCulture), 6L << 20, 8L << 20);
        Assert.Contains("[stdout] artifacts: writable", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setuid_mount_capabilities_docker_socket_and_network_are_denied()
    {
        var probe = TestPrograms.Compile("""
            #include <errno.h>
            #include <fcntl.h>
            #include <stdio.h>
            #include <string.h>
            #include <unistd.h>
            #include <arpa/inet.h>
            #include <sys/mount.h>
            #include <sys/prctl.h>
            #include <sys/socket.h>
            #include <sys/stat.h>
            #include <sys/un.h>
            static int bad = 0;
            static void check(const char *what, int allowed) {
              printf("%s: %s (%s)\n", what, allowed ? "ALLOWED" : "denied", allowed ? "-" : strerror(errno));
              if (allowed) bad = 1;
            }
            int main(void) {
              check("setuid(0)", setuid(0) == 0);
              check("setgid(0)", setgid(0) == 0);
              check("mount tmpfs", mount("none", "/tmp", "tmpfs", 0, "") == 0);
              check("chown to root", chown("/tmp", 0, 0) == 0);
              check("no_new_privs unset", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1);
              struct sockaddr_un un = { .sun_family = AF_UNIX };
              strcpy(un.sun_path, "/var/run/docker.sock");
              int u = socket(AF_UNIX, SOCK_STREAM, 0);
              check("docker socket", connect(u, (struct sockaddr *)&un, sizeof un) == 0);
              struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(2375) };
              inet_pton(AF_INET, "172.17.0.1", &in.sin_addr);
              int t = socket(AF_INET, SOCK_STREAM, 0);
              check("network to the docker bridge", connect(t, (struct sockaddr *)&in, sizeof in) == 0);
              FILE *status = fopen("/proc/self/status", "r");
              char line[256];
              while (status && fgets(line, sizeof line, status)) {
                // CapEff and CapPrm are zero for uid 65532 under no-new-privileges whatever is dropped; only the
                // bounding set shows that CapDrop ALL took effect.
                if (strncmp(line, "CapEff:", 7) == 0 || strncmp(line, "CapPrm:", 7) == 0 || strncmp(line, "CapBnd:", 7) == 0) {
                  int any = strstr(line + 7, "0000000000000000") == NULL;
                  line[6] = 0;
                  errno = EPERM;
                  check(line, any);
                }
              }
              printf("uid=%d euid=%d\n", getuid(), geteuid());
              return bad;
            }
            """);
        var (runId, run) = await kit.RunAsync(probe);

        var log = await kit.LogAsync(runId);
        Assert.True(run.GetProperty("status").GetString() == "passed", log);
        Assert.DoesNotContain("ALLOWED", log, StringComparison.Ordinal);
        foreach (var what in new[] { "setuid(0)", "mount tmpfs", "chown to root", "docker socket", "network to the docker bridge", "CapEff", "CapPrm", "CapBnd" })
        {
            Assert.Contains($"{what}: denied", log, StringComparison.Ordinal);
        }

        Assert.Contains("uid=65532 euid=65532", log, StringComparison.Ordinal);
    }
}
