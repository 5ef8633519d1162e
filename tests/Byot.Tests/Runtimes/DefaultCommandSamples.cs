using System.Text;
using Byot.Tests.Infrastructure;

namespace Byot.Tests.Runtimes;

/// <summary>For each runtime, the smallest upload its documented default command runs as is: a single file, and a
/// bundle laid out as the README's runtime table says. Each prints <see cref="Marker"/>.</summary>
public static class DefaultCommandSamples
{
    public const string SingleFile = "single file";
    public const string Bundle = "bundle";
    public const string GemfileBundle = "bundle with a Gemfile";

    public static string Marker(string runtime, string kind) => $"default ok: {runtime} {kind}";

    /// <summary>The kinds of upload each runtime's defaults distinguish.</summary>
    public static IEnumerable<string> KindsOf(string runtime) =>
        runtime == "ruby" ? [SingleFile, Bundle, GemfileBundle] : [SingleFile, Bundle];

    /// <summary>(file name, content); null when the runtime has no sample (a new runtime needs one here).</summary>
    public static (string FileName, byte[] Content)? For(string runtime, string kind, string? gemfileLock = null)
    {
        var marker = Marker(runtime, kind);
        var single = kind == SingleFile;
        return runtime switch
        {
            "go" or "binary" => single
                ? ("check", RunnerKit.Shell($"echo '{marker}'"))
                : ("suite.tar.gz", Bundles.TarGz(Bundles.File("run", $"#!/bin/sh\necho '{marker}'\n", Bundles.Executable))),
            "shell" => single
                ? ("check.sh", Text($"echo '{marker}'\n"))
                : ("suite.tar.gz", Bundles.TarGz(Bundles.File("run.sh", $"echo '{marker}'\n"))),
            // The README's quick start: `byot push ./checkout --runtime node`, a directory with a package.json "test" script.
            "node" => single
                ? ("check.js", Text($"console.log('{marker}');\n"))
                : ("checkout.tar.gz", Bundles.TarGz(
                    Bundles.File("package.json", "{\"name\":\"checkout\",\"private\":true,\"scripts\":{\"test\":\"node test/checkout.js\"}}"),
                    Bundles.File("test/checkout.js", $"console.log('{marker}');\n"))),
            "python" => single
                ? ("check.py", Text($"print('{marker}')\n"))
                : ("suite.tar.gz", Bundles.TarGz(Bundles.File("main.py", $"print('{marker}')\n"))),
            "ruby" => kind switch
            {
                SingleFile => ("check.rb", Text($"puts '{marker}'\n")),
                Bundle => ("suite.tar.gz", Bundles.TarGz(RubySpec(marker))),
                _ => ("suite.tar.gz", Bundles.TarGz(
                    RubySpec(marker),
                    Bundles.File("Gemfile", "source \"https://rubygems.org\"\ngem \"rspec\"\n"),
                    Bundles.File("Gemfile.lock", gemfileLock ?? throw new ArgumentNullException(nameof(gemfileLock))))),
            },
            "deno" => single
                ? ("check.ts", Text($"const line: string = '{marker}';\nconsole.log(line);\n"))
                : ("suite.tar.gz", Bundles.TarGz(Bundles.File("check_test.ts", $"Deno.test('default', () => {{ console.log('{marker}'); }});\n"))),
            // A Playwright project as the README lays it out: package.json, playwright.config.*, tests/ (no browser needed here).
            "playwright" => single
                ? ("check.spec.ts", Text(PlaywrightSpec(marker)))
                : ("suite.tar.gz", Bundles.TarGz(
                    Bundles.File("package.json", "{\"name\":\"suite\",\"private\":true}"),
                    Bundles.File("playwright.config.ts", "import { defineConfig } from '@playwright/test';\nexport default defineConfig({ testDir: './tests' });\n"),
                    Bundles.File("tests/check.spec.ts", PlaywrightSpec(marker)))),
            _ => null,
        };
    }

    private static string PlaywrightSpec(string marker) =>
        $"import {{ test }} from '@playwright/test';\n\ntest('default', () => {{ console.log('{marker}'); }});\n";

    private static System.Formats.Tar.PaxTarEntry RubySpec(string marker) =>
        Bundles.File("spec/check_spec.rb", $"RSpec.describe 'default' do\n  it('runs') {{ puts '{marker}'; expect(6 * 7).to eq(42) }}\nend\n");

    private static byte[] Text(string content) => Encoding.UTF8.GetBytes(content);
}
