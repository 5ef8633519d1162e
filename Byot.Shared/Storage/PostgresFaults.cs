using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>The one rule for which database failures are worth retrying (or answering 503 to): connection-level
/// failures and the server's "shutting down / starting up" answers, as in a restart or failover; never a constraint
/// or syntax error.</summary>
public static class PostgresFaults
{
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException p => p.IsTransient || p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException => true,
        TimeoutException or IOException or System.Net.Sockets.SocketException => true,
        _ => false,
    };

    /// <summary>Any failure the database reported or met on the way to it, transient or not: for callers outside
    /// Storage that must tell "BYOT's infrastructure failed" from their own errors without seeing Npgsql.</summary>
    public static bool IsDatabaseFault(Exception e) => e is NpgsqlException;
}
