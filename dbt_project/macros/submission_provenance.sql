{# Where a landed submission row came from, the same for every submission table: file, checksum,
   sheet, row, sample flag, when it was ingested and when the file arrived (its time in the inbox;
   rows older than that column take the ingest time). #}
{% macro submission_provenance() -%}
    file_name,
    file_checksum,
    sheet,
    row_number,
    is_sample,
    ingested_at,
    coalesce(received_at, ingested_at) as received_at
{%- endmacro %}
