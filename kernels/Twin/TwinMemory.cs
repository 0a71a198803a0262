using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Graphport.Kernels.Codegen;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Twin;

/// <summary>
/// The CPU twin's device memory: one byte array for the arena and one for the weights, laid out exactly as the
/// memory plan says. Buffers that share arena bytes really share them here, so a liveness mistake corrupts a
/// result the tests compare; every access is bounds-checked against its buffer, so bad index math throws.
/// </summary>
internal sealed class TwinMemory
{
    private readonly byte[] arena;
    private readonly byte[] weights;
    private readonly MemoryPlan plan;

    /// <param name="pinned">Allocate where the GC never moves the bytes, so native code can use <see cref="Address"/>.</param>
    public TwinMemory(MemoryPlan plan, bool pinned = false)
    {
        this.plan = plan;
        arena = GC.AllocateArray<byte>(checked((int)plan.ArenaBytes), pinned);
        weights = GC.AllocateArray<byte>(checked((int)plan.WeightBytes), pinned);
        Pinned = pinned;
    }

    public bool Pinned { get; }

    /// <summary>The address of a buffer's first byte; only for pinned memory.</summary>
    public unsafe nint Address(BufferRef buffer)
    {
        if (!Pinned) throw new InvalidOperationException("Addresses of twin memory need it allocated pinned.");
        var (bytes, start) = Locate(buffer);
        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(bytes)) + (nint)start;
    }

    private (byte[] Bytes, long Base) Locate(BufferRef buffer)
    {
        var placement = plan.Placement(buffer);
        return (buffer.Kind == BufferKind.Weight ? weights : arena, placement.Offset);
    }

    // What gp_index_faults holds on the device: the first out-of-range index's site number plus one, and its value.
    private ulong faultSite, faultValue;

    /// <summary>Records an index read out of range at <paramref name="site"/>, unless one was recorded before.</summary>
    public void RecordIndexFault(int site, long value)
    {
        if (faultSite != 0) return;
        (faultSite, faultValue) = ((ulong)site + 1, unchecked((ulong)value));
    }

    /// <summary>The fault record, cleared.</summary>
    public (ulong Site, ulong Value) TakeIndexFault()
    {
        var taken = (faultSite, faultValue);
        (faultSite, faultValue) = (0, 0);
        return taken;
    }

    public double Load(BufferRef buffer, long index)
    {
        if ((ulong)index >= (ulong)buffer.Elements)
            throw new TwinIndexException($"read of {buffer} at element {index}, outside [0, {buffer.Elements})");
        var (bytes, start) = Locate(buffer);
        var span = bytes.AsSpan(checked((int)(start + index * DTypeSizes.Of(buffer.DType))));
        return buffer.DType switch
        {
            DType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(span),
            DType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(span),
            DType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(span),
            DType.BFloat16 => (float)BFloat16.FromBits(BinaryPrimitives.ReadUInt16LittleEndian(span)),
            DType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(span),
            DType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(span),
            DType.Int8 => (sbyte)span[0],
            DType.UInt8 => span[0],
            _ => span[0] != 0 ? 1 : 0,
        };
    }

    public void Store(BufferRef buffer, long index, double value)
    {
        if ((ulong)index >= (ulong)buffer.Elements)
            throw new TwinIndexException($"write of {buffer} at element {index}, outside [0, {buffer.Elements})");
        var (bytes, start) = Locate(buffer);
        var span = bytes.AsSpan(checked((int)(start + index * DTypeSizes.Of(buffer.DType))));
        switch (buffer.DType)
        {
            case DType.Float32: BinaryPrimitives.WriteSingleLittleEndian(span, (float)value); break;
            case DType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(span, value); break;
            case DType.Float16: BinaryPrimitives.WriteHalfLittleEndian(span, (Half)(float)value); break;
            case DType.BFloat16: BinaryPrimitives.WriteUInt16LittleEndian(span, ((BFloat16)(float)value).Bits); break;
            case DType.Int64: BinaryPrimitives.WriteInt64LittleEndian(span, (long)value); break;
            case DType.Int32: BinaryPrimitives.WriteInt32LittleEndian(span, (int)(long)value); break;
            case DType.Int8: span[0] = (byte)(sbyte)(long)value; break;
            case DType.UInt8: span[0] = (byte)(long)value; break;
            default: span[0] = value != 0 ? (byte)1 : (byte)0; break;
        }
    }

    /// <summary>Copies a tensor (any layout) into a buffer as contiguous data.</summary>
    public void Write(BufferRef buffer, Tensor tensor)
    {
        var contiguous = tensor.Contiguous();
        long n = (long)contiguous.Numel();
        if (n != buffer.Elements) throw new ArgumentException($"{buffer} holds {buffer.Elements} elements but the tensor has {n}.");
        var storage = contiguous.Storage;
        long offset = contiguous.StorageOffset;
        for (long i = 0; i < n; i++) Store(buffer, i, storage.GetDouble(offset + i));
    }

    /// <summary>Reads a strided view out as a new contiguous tensor.</summary>
    public Tensor Read(StridedView view, DType dtype)
    {
        var shape = view.Shape.ToArray();
        var storage = Storage.Allocate(dtype, view.Numel);
        var strides = view.Strides;
        var coordinates = new long[shape.Length];
        for (long i = 0; i < view.Numel; i++)
        {
            long rest = i, offset = view.Offset;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                coordinates[d] = rest % Math.Max(shape[d], 1);
                rest /= Math.Max(shape[d], 1);
                offset += coordinates[d] * strides[d];
            }
            storage.SetDouble(i, Load(view.Buffer, offset));
        }
        return Tensor.FromArray(storage.Data, shape);
    }
}

/// <summary>A generated kernel's index math left its buffer: the planner or renderer has a bug.</summary>
public sealed class TwinIndexException(string message) : Exception($"CPU twin: {message}.");
