"""The thresholds of a proposed model re-fitted on the backtest: the MQL threshold that keeps the
current model's MQL share, the one with the best F1 among those at least as precise as the
current model, and the total-score band thresholds that keep each band's share. The score
distribution comes from the warehouse (one row per distinct total_score, cumulated from the top);
the choice among those few rows is made here."""

from __future__ import annotations

from dataclasses import dataclass

from leadscore import warehouse


@dataclass
class Cut:
    threshold: float
    flagged: int
    flagged_converters: int
    leads: int
    converters: int

    @property
    def share(self) -> float:
        return self.flagged / self.leads if self.leads else 0.0

    @property
    def precision(self) -> float | None:
        return self.flagged_converters / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        return self.flagged_converters / self.converters if self.converters else None

    @property
    def f1(self) -> float:
        total = self.flagged + self.converters
        return 2 * self.flagged_converters / total if total else 0.0


def cuts(con, backtest_leads: str, model: str) -> list[Cut]:
    """Every distinct total_score of the model's backtest leads as a threshold, highest first."""
    rows = warehouse.fetch_dicts(con, f"""
        with scored as (
            select total_score, case when converted then 1 else 0 end as converted
            from {backtest_leads}
            where model = ? and scorer = 'rules'
        ),
        by_score as (
            select total_score, count(*) as leads, sum(converted) as converters
            from scored
            group by total_score
        ),
        totals as (
            select count(*) as leads, sum(converted) as converters from scored
        )
        select
            by_score.total_score as threshold,
            sum(by_score.leads) over (order by by_score.total_score desc rows unbounded preceding) as flagged,
            sum(by_score.converters) over (order by by_score.total_score desc rows unbounded preceding)
                as flagged_converters,
            totals.leads,
            totals.converters
        from by_score
        cross join totals
        order by threshold desc""", [model])
    return [Cut(float(r["threshold"]), int(r["flagged"]), int(r["flagged_converters"] or 0), int(r["leads"]),
                int(r["converters"] or 0)) for r in rows]


def at(cut_list: list[Cut], threshold: float) -> Cut | None:
    """The leads at or above threshold (None when none are)."""
    reached = [c for c in cut_list if c.threshold >= threshold]
    return reached[-1] if reached else None


def keeping_share(cut_list: list[Cut], share: float) -> Cut | None:
    """The lowest threshold that flags no larger a share than `share`."""
    within = [c for c in cut_list if c.share <= share + 1e-12]
    return within[-1] if within else None


def best_f1(cut_list: list[Cut], min_precision: float) -> Cut | None:
    """The threshold with the best F1 among those at least min_precision precise (ties: higher)."""
    precise = [c for c in cut_list if c.precision is not None and c.precision >= min_precision - 1e-12]
    return max(precise, key=lambda c: (c.f1, c.threshold)) if precise else None
