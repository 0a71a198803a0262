using Graphport.Tests.Analysis.Fakes;

namespace Graphport.Tests.Analysis.Subjects;

// Modules that read scalars out of tensors with Item()/ToScalar(); only a scalar that decides a branch is a break.

public sealed class ItemDecidesBranch : FakeModule
{
    public static readonly string SourceFile = SourceMarkers.PathOf();

    public FakeTensor Forward(FakeTensor x)
    {
        var scale = x.Item<float>();
        var shifted = scale - 0.5f;
        if (shifted > 0f) // BREAK:item-if
            return x * scale;
        return x;
    }
}

public sealed class ItemFeedsArithmetic : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        var scale = x.Item<float>();
        var doubled = (scale * 2f) + 1f;
        return x * doubled;
    }
}

public sealed class ScalarDecidesSwitch : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        switch ((int)x.ToScalar()) // BREAK:scalar-switch
        {
            case 0: return x;
            case 1: return x * 2f;
            case 2: return x * 3f;
            default: return x * 4f;
        }
    }
}

public sealed class ItemPassedToHelper : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        var scale = x.Item<float>();
        return Choose(x, scale);
    }

    private static FakeTensor Choose(FakeTensor x, float scale)
    {
        if (scale > 1f) // BREAK:item-parameter
            return x * scale;
        return x;
    }
}

public sealed class ItemReturnedByHelper : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        if (Threshold(x) > 1f) // BREAK:item-return
            return x;
        return x * 2f;
    }

    private static float Threshold(FakeTensor t) => t.Item<float>() * 2f;
}

public sealed class ItemStoredInField : FakeModule
{
    private float _last;

    public FakeTensor Forward(FakeTensor x)
    {
        _last = x.Item<float>();
        var ok = _last < 3f;
        if (ok) // BREAK:item-field
            return x;
        return x * _last;
    }
}
