namespace PixMix.MLNet.Data;

/// <summary>The values of the appended columns for one input row or cursor; disposed with it.</summary>
internal interface IAppendedValues : IDisposable
{
    /// <summary>The getter of appended column <paramref name="column"/> (a <c>ValueGetter&lt;T&gt;</c> of the column's type).</summary>
    Delegate Getter(DataViewSchema.Column column);
}
