namespace Byot.Runner.Containers;

/// <summary>Receives a container's output as it arrives, in order, from one reader.</summary>
internal interface IOutputSink
{
    ValueTask WriteAsync(OutputStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
