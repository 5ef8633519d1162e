namespace Byot.Cli.Deploy;

/// <summary>The server's tests by name (a name may be used more than once) and by id.</summary>
internal sealed record TestNames(Dictionary<string, List<string>> ByName, Dictionary<string, string> ById);
