namespace Byot.Functions.Http;

/// <summary>The seed's upload answer: <c>{"id": "...", "message": "binary uploaded successfully"}</c>.</summary>
internal sealed record UploadResponse(Guid Id, string Message);
