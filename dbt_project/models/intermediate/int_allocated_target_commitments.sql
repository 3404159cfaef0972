-- The plan sentence that binds a region to a target the higher level allocates it (省下达目标). Plans print
-- such targets without a number ("优良天数比例、PM2.5年均浓度…完成省下达约束性指标任务"): the parser finds no
-- figure there, the value comes from stg_allocated_targets (with its document), and without this the
-- target could be traced to the allocating document only, never to the plan that took it on.
-- Grain: allocated target (region, kpi, year); only those with such a sentence.
--   clause    : the sentence up to a commitment to a target someone else set — a verb 完成 / 达到 / 实现, then
--               within 30 characters the setting (下达 "allocated", 省定 / 市定 "set by the province / city",
--               考核 "assessed"), then within 30 the object 目标 / 指标 / 要求. Provinces word it many ways
--               (确保实现省下达的考核目标, 达到省定目标要求, 全面完成国家和省下达的…约束性指标).
--   candidate : a line of one of the region's plans of the target's year with such a clause that is about
--               environmental quality — it says 约束性 / 质量 / 年度 / 改善 / 考核, or names the KPI — so that an
--               output wording ("完成市政府下达的淘汰目标任务": a task's quota) does not qualify
--   chosen    : the candidate that names the KPI (its catalogue name or a synonym, markup such as
--               PM<sub>2.5</sub> and brackets such as 细颗粒物（PM2.5）left out) before one that names none,
--               then the first printed (file, line)
with allocated as (
    select region, kpi, year from {{ ref('stg_allocated_targets') }}
),
plans as (
    select p.plan_id, p.source, p.region, p.year, p.start_line, p.end_line
    from {{ ref('stg_plans') }} p
    where exists (select 1 from allocated a where a.region = p.region and a.year = p.year)
),
lines as (
    select p.plan_id, p.region, p.year, l.source, l.line_no as line, l.text, l.location,
           regexp_extract(l.text, '[^。；;]*(完成|达到|实现)[^。；;]{0,30}(下达|省定|市定|考核)[^。；;]{0,30}(目标|指标|要求)')
               as clause  -- '' when the line has none
    from {{ source('raw', 'plan_lines') }} l
    join plans p on p.source = l.source and l.line_no between p.start_line and p.end_line
),
candidates as (
    select *,
           -- the clause as words: tags, TeX marks and brackets out (PM<sub>2.5</sub>, $PM_{2.5}$ -> PM2.5;
           -- 细颗粒物（PM2.5）年均浓度 -> 细颗粒物PM2.5年均浓度, which names PM2.5年均浓度)
           regexp_replace(regexp_replace(clause, '<[^>]*>', '', 'g'), '[\s$_{}（）()]', '', 'g') as words,
           regexp_matches(clause, '约束性|质量|年度|改善|考核') as about_quality
    from lines
    where clause <> ''
),
names as (
    select kpi, list_filter(list_prepend(name_zh, synonyms), lambda n: n is not null and n <> '') as names
    from {{ ref('stg_kpi_catalogue') }}
)
select
    a.region,
    a.kpi,
    a.year,
    c.plan_id,
    c.source,
    c.line,
    c.text,
    c.location,
    coalesce(len(list_filter(n.names, lambda x: contains(c.words, x))) > 0, false) as names_kpi
from allocated a
join candidates c on c.region = a.region and c.year = a.year
left join names n on n.kpi = a.kpi
where c.about_quality or names_kpi
qualify row_number() over (partition by a.region, a.kpi, a.year
                           order by names_kpi desc, c.source, c.line) = 1
