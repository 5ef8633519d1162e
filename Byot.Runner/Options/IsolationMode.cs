namespace Byot.Runner.Options;

/// <summary>The floor of isolation a Runner gives every test: plain runc containers, gVisor's user-space kernel, or
/// gVisor whenever the engine has it registered.</summary>
public enum IsolationMode
{
    Auto,
    Runc,
    Gvisor,
}
