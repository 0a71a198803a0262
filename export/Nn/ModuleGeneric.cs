namespace Graphport;

/// <summary>A module with no inputs.</summary>
public abstract class Module<TResult> : Module
{
    public abstract TResult Forward();

    public TResult Call()
    {
        using var scope = EnterCall();
        return Forward();
    }
}

/// <summary>A module taking one input (Forward(x)).</summary>
public abstract class Module<T1, TResult> : Module
{
    public abstract TResult Forward(T1 x);

    public TResult Call(T1 x)
    {
        using var scope = EnterCall();
        return Forward(x);
    }
}

/// <summary>A module taking two inputs.</summary>
public abstract class Module<T1, T2, TResult> : Module
{
    public abstract TResult Forward(T1 x, T2 y);

    public TResult Call(T1 x, T2 y)
    {
        using var scope = EnterCall();
        return Forward(x, y);
    }
}

/// <summary>A module taking three inputs.</summary>
public abstract class Module<T1, T2, T3, TResult> : Module
{
    public abstract TResult Forward(T1 x, T2 y, T3 z);

    public TResult Call(T1 x, T2 y, T3 z)
    {
        using var scope = EnterCall();
        return Forward(x, y, z);
    }
}

/// <summary>A module taking four inputs.</summary>
public abstract class Module<T1, T2, T3, T4, TResult> : Module
{
    public abstract TResult Forward(T1 a, T2 b, T3 c, T4 d);

    public TResult Call(T1 a, T2 b, T3 c, T4 d)
    {
        using var scope = EnterCall();
        return Forward(a, b, c, d);
    }
}

/// <summary>A module taking five inputs.</summary>
public abstract class Module<T1, T2, T3, T4, T5, TResult> : Module
{
    public abstract TResult Forward(T1 a, T2 b, T3 c, T4 d, T5 e);

    public TResult Call(T1 a, T2 b, T3 c, T4 d, T5 e)
    {
        using var scope = EnterCall();
        return Forward(a, b, c, d, e);
    }
}
