namespace Byot.Shared.Status;

/// <summary>The one-word answer for a business flow: green passing, red incident open (failing at or past its
/// threshold), amber failing below the threshold or flaky, grey never run or disabled.</summary>
public enum FlowState
{
    Green,
    Amber,
    Red,
    Grey,
}
