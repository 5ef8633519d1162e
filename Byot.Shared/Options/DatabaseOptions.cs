using System.ComponentModel.DataAnnotations;

namespace Byot.Shared.Options;

public sealed class DatabaseOptions
{
    public const string Section = "Byot:Database";

    /// <summary>Npgsql connection string, for example <c>Host=127.0.0.1;Username=postgres;Password=postgres;Database=byot</c>.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations at start (under an advisory lock, so many instances may start at once).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
