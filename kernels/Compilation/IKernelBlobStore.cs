namespace Graphport.Kernels.Compilation;

/// <summary>
/// Where compiled CUBINs are kept between runs, by key. Pluggable so a cluster can share them (Azure Blob) while
/// a single machine uses a folder; see <see cref="LocalFolderBlobStore"/>.
/// </summary>
public interface IKernelBlobStore
{
    bool TryGet(string key, out byte[] blob);

    void Put(string key, byte[] blob);
}
