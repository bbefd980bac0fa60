namespace HallMonitor.Storage.Tests;

/// <summary>A small hall: two matters, two windows that serve both.</summary>
internal static class TestHalls
{
    public const string HallId = "test";

    public static HallsFile File() => new()
    {
        Halls =
        [
            new HallDefinition
            {
                Id = HallId,
                Name = "测试政务服务中心",
                TimeZone = "Asia/Shanghai",
                Matters =
                [
                    new MatterDefinition { Code = "BIZ-REG", Name = "企业设立登记", Category = "商事登记", Prefix = "A", WaitTargetSeconds = 1800, HandleTargetSeconds = 1200 },
                    new MatterDefinition { Code = "TAX-INV", Name = "发票领用", Category = "办税服务", Prefix = "B", WaitTargetSeconds = 1200, HandleTargetSeconds = 600 },
                ],
                Windows =
                [
                    new WindowDefinition { Id = "01", Name = "1号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] },
                    new WindowDefinition { Id = "02", Name = "2号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] },
                ],
            },
        ],
    };
}
