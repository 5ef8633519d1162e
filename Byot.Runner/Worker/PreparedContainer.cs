using Byot.Runner.Containers;
using Byot.Runner.Isolation;

namespace Byot.Runner.Worker;

/// <summary>A run's created container and the isolation it was given (recorded on the run when it starts).</summary>
internal sealed record PreparedContainer(ContainerHandle Handle, IsolationPlan Plan);
