using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>BYOT's Playwright launcher (Byot.Runner/Playwright/byot.playwright.cli.cjs), run by node in the local
/// Playwright image under the hardening flags: it runs the project's own Playwright when the bundle ships one, the
/// image's otherwise, passes its arguments on, and says what to do when there is none. No browser starts.</summary>
[Collection(PlaywrightCollection.Name)]
public sealed class PlaywrightLauncherTests
{
    [Fact]
    public async Task Without_node_modules_the_images_playwright_runs()
    {
        var (exitCode, output, errors) = await LaunchAsync(ownPlaywright: false, nodePath: null, "--version");

        Assert.True(exitCode == 0, errors);
        Assert.Equal("Version 1.65.1", output.Trim());
    }

    [Fact]
    public async Task A_bundles_own_playwright_is_preferred_and_gets_the_arguments()
    {
        var (exitCode, output, errors) = await LaunchAsync(ownPlaywright: true, nodePath: null, "test", "--config", "/x.mjs");

        Assert.True(exitCode == 0, errors);
        Assert.Equal("project playwright: test --config /x.mjs", output.Trim());
    }

    [Fact]
    public async Task Without_any_playwright_it_fails_and_says_to_upload_node_modules()
    {
        var (exitCode, output, errors) = await LaunchAsync(ownPlaywright: false, nodePath: "", "--version");

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output.Trim());
        Assert.Contains("no @playwright/test in /tmp/p/node_modules nor in the image (NODE_PATH)", errors, StringComparison.Ordinal);
        Assert.Contains("npm ci before packing", errors, StringComparison.Ordinal);
    }

    /// <summary>The launcher run in /tmp/p, which holds a stand-in <c>@playwright/test</c> (its <c>playwright</c> bin
    /// prints its arguments) when <paramref name="ownPlaywright"/>; <paramref name="nodePath"/> replaces the image's
    /// NODE_PATH when given.</summary>
    private static Task<(int ExitCode, string Output, string Errors)> LaunchAsync(bool ownPlaywright, string? nodePath, params string[] args)
    {
        const string own = """
            mkdir -p node_modules/@playwright/test &&
            printf '{"name":"@playwright/test","bin":{"playwright":"cli.js"},"exports":{".":"./index.js"}}' > node_modules/@playwright/test/package.json &&
            printf 'console.log("project playwright: " + process.argv.slice(2).join(" "));' > node_modules/@playwright/test/cli.js &&
            """;
        var launcher = Repository.Path("Byot.Runner", "Playwright");
        return DockerCli.RunAsync([
            "run", "--rm", "--network", "none", "--read-only", "--tmpfs", "/tmp", "--user", "65532:65532", "--cap-drop", "ALL",
            "--label", "byot.test-helper=playwright-launcher", "-e", "HOME=/tmp", "-v", launcher + ":/w:ro",
            .. nodePath is null ? Array.Empty<string>() : ["-e", "NODE_PATH=" + nodePath],
            DocumentedRuntimes.LocalImages()["playwright"], "/bin/sh", "-c",
            "mkdir -p /tmp/p && cd /tmp/p && " + (ownPlaywright ? own : string.Empty) + " exec node /w/byot.playwright.cli.cjs \"$@\"", "sh",
            .. args,
        ]);
    }
}
