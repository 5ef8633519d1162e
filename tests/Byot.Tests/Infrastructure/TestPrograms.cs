using System.Diagnostics;

namespace Byot.Tests.Infrastructure;

/// <summary>Real test programs: static C binaries compiled here, and node scripts.</summary>
public static class TestPrograms
{
    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "byot-test-programs");

    /// <summary>A static binary that writes each line with one write(2) to the given stream, then exits.</summary>
    public static byte[] StaticBinary(int exitCode, params (bool Stderr, string Text)[] lines)
    {
        var body = string.Join("\n", lines.Select(l =>
            $"  emit({(l.Stderr ? 2 : 1)}, \"{Escape(l.Text)}\\n\"); usleep(20000);"));
        var source = $$"""
            #include <string.h>
            #include <unistd.h>
            static void emit(int fd, const char *s) { ssize_t r = write(fd, s, strlen(s)); (void)r; }
            int main(void) {
            {{body}}
              return {{exitCode}};
            }
            """;
        return Compile(source);
    }

    public static byte[] Compile(string cSource)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(cSource)))[..16];
        var output = Path.Combine(Directory, hash);
        if (!File.Exists(output))
        {
            var source = output + ".c";
            File.WriteAllText(source, cSource);
            var partial = output + "." + Guid.NewGuid().ToString("N");
            using var gcc = Process.Start(new ProcessStartInfo("gcc", ["-static", "-O1", "-o", partial, source])
            {
                RedirectStandardError = true,
            })!;
            var errors = gcc.StandardError.ReadToEnd();
            gcc.WaitForExit();
            if (gcc.ExitCode != 0)
            {
                throw new InvalidOperationException("gcc failed: " + errors);
            }

            File.Move(partial, output, overwrite: true);
        }

        return File.ReadAllBytes(output);
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
