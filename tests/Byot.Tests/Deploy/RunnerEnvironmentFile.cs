namespace Byot.Tests.Deploy;

/// <summary>Reads the runner.env that install.sh writes, as systemd's EnvironmentFile= does for its
/// <c>KEY='value'</c> lines.</summary>
public static class RunnerEnvironmentFile
{
    public static Dictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var value = line[(equals + 1)..];
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
            {
                value = value[1..^1];
            }

            values[line[..equals]] = value;
        }

        return values;
    }
}
