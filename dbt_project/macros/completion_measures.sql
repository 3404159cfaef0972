{#
  The completion KPIs, written once and used by every completion mart (per dimension, per unit and role).
  Aggregates rows of int_task_status. Standing tasks (is_ongoing: 长期坚持, 每年…) have no end and are
  counted apart; every rate is over the tasks that have a due date:
    completion_rate     = tasks_completed / tasks_with_due_date
    due_completion_rate = tasks_due_completed / tasks_due            (null when no task is due)
    on_time_rate        = tasks_completed_on_time / tasks_completed  (null when none is completed)
  Overdue is split by the due date's basis: tasks_overdue_printed (a date printed in the task or its
  annex row) and tasks_overdue_assumed (no date printed: 31 Dec of the plan year, 推定). Standing tasks
  get their own measures: tasks_ongoing_reported (a report in force) and tasks_ongoing_lagging (it says
  未启动 or 滞后). tasks_awaiting_review (issue 26): the lead units reported 已完成, the review is pending —
  not completed (not in any numerator), not overdue, not among tasks_not_due: shown apart.
#}
{% macro completion_measures() -%}
    count(*) as tasks_total,
    count(*) filter (where not is_ongoing) as tasks_with_due_date,
    count(*) filter (where not is_ongoing and is_completed) as tasks_completed,
    count(*) filter (where is_due) as tasks_due,
    count(*) filter (where is_due and is_completed) as tasks_due_completed,
    count(*) filter (where completed_on_time) as tasks_completed_on_time,
    count(*) filter (where is_overdue) as tasks_overdue,
    count(*) filter (where is_overdue and due_basis in ('printed', 'annex')) as tasks_overdue_printed,
    count(*) filter (where is_overdue and due_basis = 'plan_year') as tasks_overdue_assumed,
    count(*) filter (where not is_ongoing and not is_completed and not is_due and not is_awaiting_review) as tasks_not_due,
    count(*) filter (where is_awaiting_review) as tasks_awaiting_review,
    count(*) filter (where is_ongoing) as tasks_ongoing,
    count(*) filter (where is_ongoing and latest_status_code is not null) as tasks_ongoing_reported,
    count(*) filter (where is_ongoing and latest_status_code in ('delayed', 'not_started')) as tasks_ongoing_lagging,
    count(*) filter (where latest_status_code is null) as tasks_without_report,
    max(days_overdue) as max_days_overdue,
    {{ completion_rate('count(*) filter (where not is_ongoing and is_completed)',
                       'count(*) filter (where not is_ongoing)') }} as completion_rate,
    round(count(*) filter (where is_due and is_completed)
          / nullif(count(*) filter (where is_due), 0), 4) as due_completion_rate,
    round(count(*) filter (where completed_on_time)
          / nullif(count(*) filter (where not is_ongoing and is_completed), 0), 4) as on_time_rate,
    bool_or(is_sample) as includes_sample_data,
    any_value(as_of) as as_of
{%- endmacro %}


{# completion_rate = tasks_completed / tasks_with_due_date, to four places (null without a task with a due
   date): here, and over counts already summed (mart_scope_status_monthly). #}
{% macro completion_rate(tasks_completed, tasks_with_due_date) -%}
    round({{ tasks_completed }} / nullif({{ tasks_with_due_date }}, 0), 4)
{%- endmacro %}
