namespace Byot.Shared.Uploads;

/// <summary>One part of a multipart upload, read in order; <see cref="Content"/> is valid until the next part is read.</summary>
public sealed record UploadPart(string Name, string? FileName, Stream Content);
