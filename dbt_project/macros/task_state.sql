{#
  A task's state on a date from its due date and whether it is completed by then: written once for the
  as-of status (int_task_status) and the month-end history (mart_task_status_monthly).
  Needs columns is_completed, is_awaiting_review, is_due, is_ongoing, due_date, completed_on.
  A task awaiting review (its lead units reported 已完成, the supervising office has not approved yet,
  issue 26) is shown apart as awaiting_review: not completed, and not overdue either (the unit owes
  nothing more until the review: the next move is the office's).
#}
{% macro task_state(on_date) -%}
    is_due and not is_completed and not is_awaiting_review as is_overdue,
    case when is_due and not is_completed and not is_awaiting_review then date_diff('day', due_date, {{ on_date }}) end as days_overdue,
    case when is_completed and due_date is not null then completed_on <= due_date end as completed_on_time,
    case
        when is_completed and is_ongoing then 'ongoing'
        when is_completed and completed_on <= due_date then 'completed_on_time'
        when is_completed then 'completed_late'
        when is_awaiting_review then 'awaiting_review'
        when is_ongoing then 'ongoing'
        when is_due then 'overdue'
        else 'not_due'
    end as status_class
{%- endmacro %}
