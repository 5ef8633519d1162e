using System.CommandLine;
using Byot.Cli.Api;
using Byot.Cli.Config;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary>What every command needs: the host, the global --json option, and a client for the configured API.</summary>
internal sealed class CommandKit(CliHost host, Option<bool> json)
{
    public CliHost Host => host;

    public Renderer Renderer(ParseResult parse) => new(host, parse.GetValue(json));

    public ByotClient Client() => new(new ConfigStore(host).Resolve());

    public string FullPath(string path) => Path.GetFullPath(path, host.WorkingDirectory);
}
