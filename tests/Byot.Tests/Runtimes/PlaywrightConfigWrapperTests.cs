using System.Text.Json;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>BYOT's Playwright config wrapper (Byot.Runner/Playwright/byot.playwright.config.mjs), loaded by node in the
/// local Playwright image next to a project's own config: it adds BYOT's reporters and defaults and never replaces
/// what the project set explicitly. No browser starts.</summary>
[Collection(PlaywrightCollection.Name)]
public sealed class PlaywrightConfigWrapperTests
{
    [Fact]
    public async Task What_the_project_sets_explicitly_is_kept_and_its_relative_paths_resolve_against_the_project()
    {
        var config = await MergedAsync("playwright.config.mjs",
            "export default { testDir: 'e2e', outputDir: '/tmp/out', reporter: 'dot', retries: 3, "
            + "use: { screenshot: 'off', trace: 'retain-on-failure', launchOptions: { executablePath: '/opt/chrome' } }, "
            + "webServer: { command: 'node s.js', port: 1 } };");

        var use = config.GetProperty("use");
        Assert.Equal("off", use.GetProperty("screenshot").GetString());
        Assert.Equal("retain-on-failure", use.GetProperty("trace").GetString());
        Assert.Equal("/opt/chrome", use.GetProperty("launchOptions").GetProperty("executablePath").GetString());
        Assert.Equal(3, config.GetProperty("retries").GetInt32());
        Assert.Equal("/tmp/out", config.GetProperty("outputDir").GetString());
        Assert.Equal("/tmp/p/e2e", config.GetProperty("testDir").GetString());
        Assert.Equal("/tmp/p", config.GetProperty("webServer").GetProperty("cwd").GetString());
        Assert.Equal(["dot", "json", "junit"], Reporters(config));
    }

    [Fact]
    public async Task A_typescript_config_without_settings_of_its_own_gets_byots_defaults()
    {
        var config = await MergedAsync("playwright.config.ts",
            "import { defineConfig } from '@playwright/test';\nconst retries: number = 2;\nexport default defineConfig({ retries });\n");

        Assert.Equal(2, config.GetProperty("retries").GetInt32());
        var use = config.GetProperty("use");
        Assert.Equal("only-on-failure", use.GetProperty("screenshot").GetString());
        Assert.Equal("on-first-retry", use.GetProperty("trace").GetString());
        Assert.Equal("/usr/lib/chromium/chromium", use.GetProperty("launchOptions").GetProperty("executablePath").GetString());
        Assert.Equal("/artifacts/test-results", config.GetProperty("outputDir").GetString());
        Assert.Equal("/tmp/p", config.GetProperty("testDir").GetString());
        Assert.Equal(["list", "json", "junit"], Reporters(config));
        var reporters = config.GetProperty("reporter").EnumerateArray().ToList();
        Assert.Equal("/artifacts/playwright-report.json", reporters[1][1].GetProperty("outputFile").GetString());
        Assert.Equal("/artifacts/junit.xml", reporters[2][1].GetProperty("outputFile").GetString());
    }

    [Fact]
    public async Task A_single_spec_without_a_config_gets_byots_defaults()
    {
        var config = await MergedAsync(null, null);

        Assert.Equal("only-on-failure", config.GetProperty("use").GetProperty("screenshot").GetString());
        Assert.Equal(["list", "json", "junit"], Reporters(config));
    }

    private static string[] Reporters(JsonElement config) =>
        [.. config.GetProperty("reporter").EnumerateArray().Select(r => r[0].GetString()!)];

    /// <summary>The config the wrapper exports, in /tmp/p holding <paramref name="file"/> (none when null).</summary>
    private static async Task<JsonElement> MergedAsync(string? file, string? content)
    {
        var wrapper = Repository.Path("Byot.Runner", "Playwright");
        var output = await RunnerKit.DockerAsync(
            "run", "--rm", "--network", "none", "--read-only", "--tmpfs", "/tmp", "--user", "65532:65532", "--cap-drop", "ALL",
            "--label", "byot.test-helper=playwright-wrapper", "-e", "HOME=/tmp", "-v", wrapper + ":/w:ro",
            DocumentedRuntimes.LocalImages()["playwright"], "/bin/sh", "-c",
            "mkdir -p /tmp/p && cd /tmp/p && { [ -z \"$0\" ] || printf '%s' \"$1\" > \"$0\"; } && "
            + "node --input-type=module -e \"const m = await import('/w/byot.playwright.config.mjs'); console.log(JSON.stringify(m.default))\"",
            file ?? "", content ?? "");
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
    }
}
