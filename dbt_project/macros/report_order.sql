{# Which of a task's report rows supersedes which (int_task_completion_timeline, mart_task_status_monthly):
   the latest period, then the latest ingested file (ingested_at, received_at, file_checksum), then its sheet
   and row — the raw row's identity, so no two rows tie; int_task_latest_report applies the same order as a
   struct key to its one arg_max over whole rows (there the join to report_files costs more than it saves:
   4.9 s → 13.5 s CPU at 2,000 documents, measured).

   As one BIGINT per row, so that max / arg_max / a running window / an equi-join compare one integer and
   not a 6-field struct per row (at 2,000 documents, 3M report rows: the struct key and the sort by six
   columns were most of mart_task_status_monthly's time). The five file-level fields take only ~24,000
   distinct values there, so they are ranked once over those (report_files, dense_rank in the same order,
   NULLS LAST as everywhere), and the row number goes into the low 33 bits:
       report_order = file_order × 2^33 + (row_number + 2^31), a null row_number → 2^32 (last, as NULLS LAST)
   row_number is an INTEGER (−2^31 … 2^31−1), so its term lies in 0 … 2^32 and never reaches the next
   file's; file_order ≤ the number of distinct files, far below 2^30, so the product fits a BIGINT.
   The order is only compared within a task, so report_files may rank the files of the changed tasks only
   (an incremental run): the order between two rows of a task stays the same.

   report_files(): the select that ranks the files (use it as a CTE named files).
   join_report_file(f, r): the null-safe join condition of a report row r to its file f.
   report_order(f, r): the row's place in the order, one BIGINT. #}
{% macro report_files() -%}
    select period, ingested_at, received_at, file_checksum, sheet,
           dense_rank() over (order by period, ingested_at, received_at, file_checksum, sheet) as file_order
    from (select distinct period, ingested_at, received_at, file_checksum, sheet
          from {{ ref('stg_progress_reports') }}{{ changed_tasks_filter('task_id', 'where') }})
{%- endmacro %}

{% macro join_report_file(f, r) -%}
    {%- for c in ['period', 'ingested_at', 'received_at', 'file_checksum', 'sheet'] -%}
        {{ ' and ' if not loop.first }}{{ f }}.{{ c }} is not distinct from {{ r }}.{{ c }}
    {%- endfor -%}
{%- endmacro %}

{% macro report_order(f, r) -%}
    ({{ f }}.file_order * 8589934592 + coalesce({{ r }}.row_number::bigint + 2147483648, 4294967296))
{%- endmacro %}
