using System.Diagnostics;
using Byot.Runner.Options;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Network;

/// <summary>Installs and verifies an <see cref="EgressPolicy"/> with iptables. Installing needs CAP_NET_ADMIN in the
/// host's network namespace; verifying works wherever the rules can be listed. Both are idempotent.</summary>
internal sealed class IptablesFirewall(IOptions<RunnerOptions> options)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Null when the rules are in place (installed now or already), else why not.</summary>
    public async Task<string?> EnsureAsync(EgressPolicy policy, CancellationToken cancellationToken)
    {
        var installed = await TryInstallAsync(policy, cancellationToken);
        var problem = await VerifyAsync(policy, cancellationToken);
        return problem is null ? null : installed is null ? problem : $"{problem} (installing them failed: {installed})";
    }

    /// <summary>Null when every rule and jump of <paramref name="policy"/> is in place, else what is missing.</summary>
    public async Task<string?> VerifyAsync(EgressPolicy policy, CancellationToken cancellationToken)
    {
        foreach (var (chain, expected) in new[] { (policy.ForwardChain, policy.ForwardRules), (policy.InputChain, policy.InputRules) })
        {
            var (code, output) = await RunAsync(Iptables, ["-w", "-S", chain], null, cancellationToken);
            if (code != 0)
            {
                return $"the egress chain {chain} cannot be read: {output.Trim()}";
            }

            var actual = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.StartsWith("-A ", StringComparison.Ordinal)).Select(l => l[(chain.Length + 4)..]);
            if (!actual.SequenceEqual(expected, StringComparer.Ordinal))
            {
                return $"the egress chain {chain} does not hold the expected rules";
            }
        }

        foreach (var (chain, rule) in policy.Jumps)
        {
            if ((await RunAsync(Iptables, ["-w", "-C", chain, .. rule.Split(' ')], null, cancellationToken)).Code != 0)
            {
                return $"the {chain} chain does not send traffic from {policy.Bridge} to BYOT's rules";
            }
        }

        return null;
    }

    /// <summary>Removes the jumps and both chains (tests and uninstalls); missing ones are fine.</summary>
    public async Task RemoveAsync(EgressPolicy policy, CancellationToken cancellationToken)
    {
        foreach (var (chain, rule) in policy.Jumps)
        {
            while ((await RunAsync(Iptables, ["-w", "-D", chain, .. rule.Split(' ')], null, cancellationToken)).Code == 0)
            {
            }
        }

        foreach (var chain in new[] { policy.ForwardChain, policy.InputChain })
        {
            await RunAsync(Iptables, ["-w", "-F", chain], null, cancellationToken);
            await RunAsync(Iptables, ["-w", "-X", chain], null, cancellationToken);
        }
    }

    private string Iptables => options.Value.Iptables;

    private async Task<string?> TryInstallAsync(EgressPolicy policy, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(Iptables + "-restore", ["-w", "--noflush"], policy.RestoreScript(), cancellationToken);
        if (code != 0)
        {
            return output.Trim();
        }

        foreach (var (chain, rule) in policy.Jumps)
        {
            if ((await RunAsync(Iptables, ["-w", "-C", chain, .. rule.Split(' ')], null, cancellationToken)).Code != 0)
            {
                (code, output) = await RunAsync(Iptables, ["-w", "-I", chain, "1", .. rule.Split(' ')], null, cancellationToken);
                if (code != 0)
                {
                    return output.Trim();
                }
            }
        }

        return null;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
                process.StandardInput.Close();
            }

            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CommandTimeout);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output + await errors);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file} could not be started: {e.Message}");
        }
    }
}
