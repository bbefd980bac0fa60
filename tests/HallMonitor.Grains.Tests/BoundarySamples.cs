namespace HallMonitor.Grains.Tests;

/// <summary>
/// One fully populated instance of every type that crosses a grain boundary: no property is null, empty or
/// its default, so a field that does not travel shows as a difference after a round-trip. Lists are built
/// with collection expressions, as the grains build them.
/// </summary>
internal static class BoundarySamples
{
    /// <summary>A moment in the hall's time zone, with ticks, so that a lost offset or precision shows.</summary>
    public static readonly DateTimeOffset At = new DateTimeOffset(2026, 11, 23, 9, 41, 7, TimeSpan.FromHours(8)).AddTicks(1_234_567);

    public static readonly DateOnly ServiceDay = new(2026, 11, 23);

    private const string TicketId = "20261123-A007";
    private const string Number = "A007";
    private const string Matter = "BIZ-REG";
    private const string Window = "03";
    private const string Clerk = "王芳";

    public static AlertView Alert { get; } = new()
    {
        AlertId = "handle-" + TicketId,
        Kind = AlertKind.HandleOvertime,
        Level = AlertLevel.Overtime,
        State = AlertState.Resolved,
        Matter = Matter,
        Window = Window,
        TicketId = TicketId,
        Number = Number,
        Target = 1200,
        Value = 1534.5,
        Since = At.AddMinutes(-25),
        RaisedAt = At.AddMinutes(-5),
        EscalatedAt = At.AddMinutes(-1),
        AcknowledgedAt = At.AddSeconds(-30),
        AcknowledgedBy = "李主任",
        ResolvedAt = At,
        Resolution = "completed",
        Due = At.AddDays(3),
    };

    /// <summary>Every concrete <see cref="HallEvent"/>, as the grains journal them.</summary>
    public static IReadOnlyList<HallEvent> Events { get; } =
    [
        new TicketIssued(TicketId, Number, Matter, TicketChannel.Appointment, Priority: true, ServiceDay, TransferredFrom: "20261123-C002", RequestId: "key:3f1c9a7e-kiosk-2"),
        new TicketCalled(TicketId, Number, Matter, Window, Clerk, WaitSeconds: 754.25, Priority: true, IssuedAt: At.AddMinutes(-13), TicketChannel.Online),
        new TicketRecalled(TicketId, Number, Matter, Window, Clerk, Recalls: 2),
        new ServiceStarted(TicketId, Number, Matter, Window, Clerk),
        new ServiceCompleted(TicketId, Number, Matter, Window, Clerk, HandleSeconds: 915.5),
        new TicketNoShow(TicketId, Number, Matter, Window, Clerk),
        new TicketCancelled(TicketId, Number, Matter),
        new TicketTransferred(TicketId, Number, Matter, Window, Clerk, ToMatter: "TAX-INV", NewTicketId: "20261123-C003", HandleSeconds: 300.75),
        new TicketExpired(TicketId, Number, Matter, Window, TicketState.Called, ServiceDay),
        new TicketRated(TicketId, Number, Matter, Window, Clerk, Score: 5, Comment: "办事很快，态度很好"),
        new WindowOpened(Window, Clerk),
        new WindowPaused(Window, Clerk),
        new WindowResumed(Window, Clerk),
        new WindowClosed(Window, Clerk),
        new AlertRaised(Alert),
        new AlertEscalated(Alert),
        new AlertAcknowledged(Alert),
        new AlertResolved(Alert),
        new ConfigurationChanged("6a1f0c9e2b7d4e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f50617", ["hall 'xinqu'.matter 'BIZ-REG'.waitTargetSeconds: 1800 → 1500", "token 'kiosk-2' added (kiosk)"]),
        new CaseOpened(TicketId, Number, Matter, CaseId: TicketId, LookupCode: "482913", Window, Clerk, PromisedDays: 5, StatutoryDays: 20, PromisedDue: At.AddDays(7), StatutoryDue: At.AddDays(28)),
        new CaseStepped(TicketId, Number, Matter, CaseId: TicketId, CaseStep.Resume, CaseState.InReview, By: "张伟", Note: "材料已补齐", PausedDays: 2, PromisedDue: At.AddDays(9), StatutoryDue: At.AddDays(30)),
        new FollowUpOpened(TicketId, Number, Matter, FollowUpId: TicketId, Window, Score: 1, Comment: "等待时间太长", Due: At.AddDays(7)),
        new FollowUpClosed(TicketId, Number, Matter, FollowUpId: TicketId, By: "李主任", Note: "已电话回访并致歉", OnTime: true),
        new UnknownEvent("waitPredicted", """{"ticketId":"20261123-A001","matter":"BIZ-REG","predictedWaitSeconds":2100}"""),
    ];

    /// <summary>The journal record of <paramref name="hallEvent"/>, as <see cref="EventCodec"/> writes it.</summary>
    public static JournalRecord Record(HallEvent hallEvent, long seq = 42) => new(
        "xinqu",
        seq,
        At,
        EventCodec.TypeName(hallEvent),
        Clerk,
        EventCodec.Encode(hallEvent),
        Hash: Convert.ToHexStringLower(BitConverter.GetBytes(seq)).PadLeft(64, 'b'),
        PrevHash: Convert.ToHexStringLower(BitConverter.GetBytes(seq - 1)).PadLeft(64, 'a'));

    public static WindowTicket WindowTicket { get; } = new()
    {
        TicketId = TicketId,
        Number = Number,
        Matter = Matter,
        State = TicketState.Serving,
        Priority = true,
        IssuedAt = At.AddMinutes(-20),
        CalledAt = At.AddMinutes(-8),
        StartedAt = At.AddMinutes(-7),
        Recalls = 1,
    };

    public static WindowView WindowView { get; } = new()
    {
        WindowId = Window,
        Name = "3号窗口",
        Kind = WindowKind.Dedicated,
        State = WindowState.Serving,
        Clerk = Clerk,
        Ticket = WindowTicket,
        StateSince = At.AddMinutes(-7),
        ServedToday = 17,
    };

    public static TicketView TicketView { get; } = new()
    {
        TicketId = TicketId,
        Number = Number,
        Matter = Matter,
        MatterName = "企业设立登记",
        Channel = TicketChannel.Online,
        Priority = true,
        State = TicketState.Completed,
        IssuedAt = At.AddMinutes(-40),
        CalledAt = At.AddMinutes(-27),
        StartedAt = At.AddMinutes(-26),
        FinishedAt = At.AddMinutes(-11),
        Window = Window,
        Clerk = Clerk,
        Recalls = 1,
        WaitSeconds = 780.5,
        HandleSeconds = 915.25,
        Rating = new TicketRating(4, "窗口人员很耐心", At),
        TransferredFrom = "20261123-C002",
        TransferredTo = "20261123-D004",
        Ahead = 3,
        EstimatedWaitSeconds = 1260,
        CaseId = TicketId,
        LookupCode = "482913",
        History =
        [
            History(Record(Events[0], seq: 40)),
            History(Record(Events[1], seq: 41)),
            History(Record(Events[4], seq: 44)),
        ],
    };

    public static CaseView Case { get; } = new()
    {
        CaseId = TicketId,
        LookupCode = "482913",
        TicketId = TicketId,
        Number = Number,
        Matter = Matter,
        MatterName = "企业设立登记",
        Window = Window,
        Clerk = Clerk,
        State = CaseState.Delivered,
        AcceptedAt = At,
        PromisedDue = At.AddDays(9),
        StatutoryDue = At.AddDays(30),
        PausedDays = 2,
        PausedSince = At.AddDays(1),
        DecidedAt = At.AddDays(8),
        OnTime = true,
        Level = CaseLevel.Yellow,
        Steps = [new CaseStepView(CaseStep.Accepted, At, Clerk, "受理"), new CaseStepView(CaseStep.Review, At.AddHours(2), "张伟", "审查中")],
    };

    public static CaseProgress Progress { get; } = new()
    {
        CaseId = TicketId,
        Matter = Matter,
        MatterName = "企业设立登记",
        State = CaseState.InReview,
        AcceptedAt = At,
        PromisedDue = At.AddDays(7),
        Steps = [new CaseProgressStep(CaseStep.Accepted, At), new CaseProgressStep(CaseStep.Review, At.AddHours(2))],
    };

    public static FollowUpView FollowUp { get; } = new()
    {
        FollowUpId = TicketId,
        TicketId = TicketId,
        Number = Number,
        Matter = Matter,
        Window = Window,
        Score = 1,
        Comment = "等待时间太长",
        OpenedAt = At,
        Due = At.AddDays(7),
        State = FollowUpState.Closed,
        ClosedAt = At.AddDays(8),
        ClosedBy = "李主任",
        Note = "已电话回访并致歉",
        Overdue = true,
    };

    public static StaffingHour StaffingHour { get; } = new()
    {
        From = At.AddMinutes(-41).AddTicks(-1_234_567),
        To = At.AddMinutes(19).AddTicks(-1_234_567),
        ArrivalsPerHour = 7.38,
        HandleSeconds = 912.5,
        WindowsNeeded = 3,
        Basis = ArrivalBasis.AllDays,
        Days = 6,
    };

    public static MatterForecast MatterForecast { get; } = new()
    {
        Matter = Matter,
        Name = "企业设立登记",
        Sector = "商事登记",
        Waiting = 7,
        ServingWindows = 2,
        WaitTargetSeconds = 1800,
        LastCallAt = At.AddMinutes(48),
        PastTarget = 2,
        HandleSeconds = 912.5,
        HandleBasis = HandleBasis.Target,
        Staffing = [StaffingHour, StaffingHour with { WindowsNeeded = 4 }],
    };

    public static SectorForecast SectorForecast { get; } = new()
    {
        Sector = "商事登记",
        Matters = [Matter, "BIZ-CHG"],
        WindowsOpen = 3,
        WaitTargetSeconds = 900,
        Waiting = 9,
        Staffing = [StaffingHour],
    };

    public static CaseReportRow CaseRow { get; } = new()
    {
        Key = Matter,
        Label = "企业设立登记",
        Accepted = 12,
        Decided = 9,
        DecidedOnTime = 8,
        OnTimeRate = 0.8889,
        Open = 3,
        OpenOverdue = 1,
        FollowUpsOpened = 2,
        FollowUpsClosedOnTime = 1,
        FollowUpsOverdue = 1,
    };

    public static OverdueCase Overdue { get; } = new()
    {
        CaseId = TicketId,
        Number = Number,
        Matter = Matter,
        MatterName = "企业设立登记",
        Window = Window,
        State = CaseState.Decided,
        AcceptedAt = At,
        PromisedDue = At.AddDays(7),
        StatutoryDue = At.AddDays(28),
        DecidedAt = At.AddDays(8),
        Level = CaseLevel.Red,
    };

    public static QueueSummary QueueSummary { get; } = new()
    {
        Matter = Matter,
        Name = "企业设立登记",
        Category = "商事登记",
        Prefix = "A",
        Waiting = 7,
        PriorityWaiting = 2,
        OldestWaitSeconds = 1325.5,
        WaitTargetSeconds = 1800,
        Issued = 31,
        Tickets =
        [
            new QueuedTicket("20261123-A008", "A008", Priority: true, At.AddMinutes(-22)),
            new QueuedTicket("20261123-A009", "A009", Priority: false, At.AddMinutes(-18)),
        ],
    };

    public static HallKpis Kpis { get; } = new()
    {
        Issued = 128,
        Waiting = 14,
        Called = 110,
        Completed = 97,
        NoShow = 6,
        Cancelled = 3,
        Transferred = 4,
        AvgWaitSeconds = 612.4,
        AvgHandleSeconds = 845.9,
        ServiceLevel = 0.87,
        SatisfactionRate = 0.95,
        Rated = 41,
        OpenAlerts = 2,
        AlertsRaised = 9,
    };

    public static HallSnapshot Snapshot { get; } = new()
    {
        Hall = "xinqu",
        Name = "长春新区政务服务中心",
        Seq = 1042,
        At = At,
        ServiceDay = ServiceDay,
        Windows = [WindowView, WindowView with { WindowId = "01", Name = "1号窗口", Kind = WindowKind.Comprehensive, Clerk = "张伟" }],
        Queues = [QueueSummary],
        Kpis = Kpis,
        Alerts = [Alert],
        Hourly = [new HourFigures(Hour: 9, Issued: 31, Completed: 24), new HourFigures(Hour: 10, Issued: 27, Completed: 25)],
        HotMatters = [new HotMatter(Matter, "企业设立登记", "商事登记", Issued: 31, Waiting: 7)],
    };

    public static SummaryRow SummaryRow { get; } = new()
    {
        Key = Window,
        Label = "3号窗口",
        Issued = 64,
        Completed = 51,
        NoShow = 4,
        Cancelled = 2,
        Transferred = 3,
        Expired = 1,
        AvgWaitSeconds = 612.5,
        P90WaitSeconds = 1490,
        AvgHandleSeconds = 845.25,
        P90HandleSeconds = 1710,
        WaitOvertime = 5,
        HandleOvertime = 3,
        Rated = 22,
        SatisfactionRate = 0.909,
        ServiceLevel = 0.88,
        NoShowRate = 0.07,
    };

    public static JournalRecord Transferred { get; } = Record(Events[7], seq: 45);

    public static TicketView NewLeg { get; } = TicketView with
    {
        TicketId = "20261123-C003",
        Number = "C003",
        Matter = "TAX-INV",
        MatterName = "发票领用",
        State = TicketState.Waiting,
    };

    public static HallPrediction Prediction { get; } = new()
    {
        At = At,
        OpenWindows = [Window, "01"],
        Matters =
        [
            new MatterPrediction
            {
                Matter = Matter,
                Waiting = 2,
                ServingWindows = 3,
                HandleSeconds = 912.5,
                WaitTargetSeconds = 1800,
                LastCallAt = At.AddMinutes(40),
                PastTarget = 1,
                Tickets =
                [
                    new TicketPrediction(TicketId, Number, Priority: true, At.AddMinutes(-5), At.AddMinutes(3)),
                    new TicketPrediction("20261123-A008", "A008", Priority: false, At.AddMinutes(-2), At.AddMinutes(40)),
                ],
            },
        ],
    };

    /// <summary>Every boundary record, keyed by its type in <see cref="ByType"/>.</summary>
    public static IReadOnlyList<object> Records { get; } =
    [
        Alert,
        Case,
        new CaseStepView(CaseStep.AwaitMaterials, At, "张伟", "缺少身份证复印件"),
        Progress,
        new CaseProgressStep(CaseStep.Decide, At),
        FollowUp,
        WindowTicket,
        WindowView,
        TicketView,
        new TicketRating(2, "等待时间太长", At),
        History(Record(Events[1])),
        QueueSummary,
        new QueuedTicket("20261123-A008", "A008", Priority: true, At.AddMinutes(-22)),
        Kpis,
        new HourFigures(Hour: 9, Issued: 31, Completed: 24),
        new HotMatter(Matter, "企业设立登记", "商事登记", Issued: 31, Waiting: 7),
        Snapshot,
        Prediction,
        Prediction.Matters[0],
        Prediction.Matters[0].Tickets![0],
        new PredictedWait(TicketId, WaitSeconds: 2430, CallAt: At.AddMinutes(40)),
        Record(Events[1]),
        new JournalPage([JournalEntry.From(Record(Events[0], seq: 41)), JournalEntry.From(Record(Events[1], seq: 42))], NextSeq: 43),
        JournalEntry.From(Record(Events[14])),
        new JournalVerification { Ok = true, Events = 1042, FirstBadSeq = 318, Problem = "hash of 318 does not match its data", LastSeq = 1042, LastHash = new string('c', 64) },
        new SummaryReport
        {
            Hall = "xinqu",
            From = ServiceDay.AddDays(-6),
            To = ServiceDay,
            GroupBy = ReportGrouping.Window,
            Seq = 1042,
            Rows = [SummaryRow, SummaryRow with { Key = "01", Label = "1号窗口", Issued = 70 }],
        },
        SummaryRow,
        new PeakReport
        {
            Hall = "xinqu",
            From = ServiceDay.AddDays(-27),
            To = ServiceDay,
            Issued = [.. Enumerable.Range(0, 7).Select(day => Enumerable.Range(0, 24).Select(hour => hour is >= 9 and < 17 && day < 5 ? 10 + day + hour : 0).ToArray())],
        },
        new CaseReport
        {
            Hall = "xinqu",
            From = ServiceDay.AddDays(-6),
            To = ServiceDay,
            Seq = 1042,
            At = At,
            ByMatter = [CaseRow],
            ByWindow = [CaseRow with { Key = Window, Label = "3号窗口" }],
            OpenByLevel = [new CaseLevelCount(CaseLevel.Ok, 4), new CaseLevelCount(CaseLevel.Red, 1)],
            Overdue = [Overdue],
        },
        CaseRow,
        new CaseLevelCount(CaseLevel.Yellow, 2),
        Overdue,
        new DistributionReport
        {
            Hall = "xinqu",
            From = ServiceDay.AddDays(-6),
            To = ServiceDay,
            BucketMinutes = [5, 10, 15, 20, 30, 45, 60, 90, 120],
            Wait = [12, 30, 41, 22, 17, 9, 4, 2, 1, 0],
            Handle = [20, 44, 38, 19, 10, 3, 2, 1, 0, 1],
        },
        new IssuedLeg(Record(Events[0], seq: 46), Transferred, ServingWindows: 3, AverageHandleSeconds: 912.5, QueuePreviousSeq: 41),
        new IssuedTicket(NewLeg, Transferred),
        new JournalAppended([Record(Events[0], seq: 46)], OwnPreviousSeq: 41),
        new LiveBatch(DurableSeq: 47, [Record(Events[0], seq: 46), Record(Events[1], seq: 47)]),
        new QueueHead(TicketId, Priority: true, At.AddMinutes(-20), Seq: 40),
        new DispatchCandidate(Matter, TicketId),
        new TransferSource(TicketId, Number, Matter, Priority: true, Window, Clerk, StartedAt: At.AddMinutes(-5), WindowSeq: 44),
        JournalStream.Window(Window),
        new StreamPosition(JournalStream.Queue(Matter), AfterSeq: 45),
        new JournalAppend([Events[0], Events[1]], At, Clerk, [new StreamPosition(JournalStream.Window(Window), AfterSeq: 44)], new QueueReport(Matter, new QueueHead(TicketId, Priority: true, At.AddMinutes(-20), Seq: 40), Taken: true), JournalStream.Queue(Matter)),
        new QueueReport(Matter, new QueueHead(TicketId, Priority: true, At.AddMinutes(-20), Seq: 40), Taken: true),
        new TransferOutcome(Transferred, NewLeg),
        new QueueView(Matter, Waiting: 7, PriorityWaiting: 2, OldestIssuedAt: At.AddMinutes(-22), TicketIds: ["20261123-A008", "20261123-A009"]),
        new HallForecast { Hall = "xinqu", At = At, Weeks = 8, Matters = [MatterForecast], Sectors = [SectorForecast], Pooled = SectorForecast with { Sector = "长春新区政务服务中心", WindowsOpen = 12 } },
        MatterForecast,
        SectorForecast,
        StaffingHour,
        new MatterDay { Day = ServiceDay, Matter = Matter, Issued = [.. Enumerable.Range(0, 24).Select(hour => hour is >= 9 and < 17 ? hour : 0)], Handled = 12, HandleSecondsTotal = 10_950.5 },
    ];

    /// <summary>The domain exceptions a grain call can end with, thrown so that they carry a stack trace.</summary>
    public static IReadOnlyList<HallMonitorException> Exceptions { get; } =
    [
        Thrown(NotFoundException.Ticket("xinqu", "20261123-A999")),
        Thrown(new ConflictException("Window 03 is idle: cannot complete a service.")),
        Thrown(new InvalidRequestException("score must be 1 to 5.")),
        Thrown(new JournalUnavailableException(
            "The journal of hall 'xinqu' could not be written; nothing was changed.",
            JournalUnavailableException.Describe(new JournalForkException("Hall 'xinqu': event 48 does not continue the stored journal.")))),
        Thrown(new StaleStreamException(JournalStream.Window(Window), lastSeq: 47)),
        Thrown(new CalendarYearNotCoveredException("cn-mainland", 2027, [2025, 2026])),
        Thrown(new JournalCorruptException("Event 2 of the journal of hall 'xinqu' cannot be read (its 'ticketIssued' data is damaged).", "xinqu", 2)),
    ];

    public static IReadOnlyDictionary<Type, object> ByType { get; } = Records
        .Concat(Events)
        .Concat(Exceptions)
        .ToDictionary(sample => sample.GetType());

    private static TicketHistoryEntry History(JournalRecord record) =>
        new(record.Seq, record.At, record.Type, record.Actor, record.Data, record.Hash);

    private static T Thrown<T>(T exception)
        where T : Exception
    {
        try
        {
            throw exception;
        }
        catch (T thrown)
        {
            return thrown;
        }
    }
}
