namespace Byot.Runner.Containers;

/// <summary>A local image BYOT built with an artifact version baked in at /app.</summary>
internal sealed record AppImage(string Tag, DateTimeOffset Created);
