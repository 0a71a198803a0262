using System.IO.Compression;
using System.Text;
using Graphport.Serialization;

namespace Graphport.Tests.Serialization;

public class Crc32Tests
{
    [Fact]
    public void Crc32_gives_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Crc32_over_chunks_equals_crc32_over_the_whole()
    {
        var data = new byte[1000];
        new Random(3).NextBytes(data);
        uint whole = Crc32.Compute(data);
        // Chunk sizes around the 8-byte step, so every alignment of the fast path meets the byte-wise tail.
        uint chunked = 0;
        int[] sizes = [1, 7, 8, 9, 13, 64];
        for (int offset = 0, i = 0; offset < data.Length; offset += sizes[i++ % sizes.Length])
            chunked = Crc32.Append(chunked, data.AsSpan(offset, Math.Min(sizes[i % sizes.Length], data.Length - offset)));
        Assert.Equal(whole, chunked);
    }

    [Fact]
    public void Crc32_matches_what_zip_readers_check()
    {
        var data = new byte[5000];
        new Random(4).NextBytes(data);
        using var stream = new MemoryStream();
        var writer = new AlignedZipWriter(stream, "root");
        writer.Write("blob", data);
        writer.Finish();
        stream.Position = 0;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        Assert.Equal(Crc32.Compute(data), zip.GetEntry("root/blob")!.Crc32);
    }
}
