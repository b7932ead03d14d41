-- Version 7: X blocks (grouped bottlenecks). Each stage keeps its group width g beside its other genes, so `db stats
-- --by s1_group_width` and the report's gene analysis see it; null for the other block types (and for every row
-- written before X blocks existed, none of which had one). The views read it: R__views.sql changes with this file.
ALTER TABLE architecture ADD COLUMN s1_group_width INT;
ALTER TABLE architecture ADD COLUMN s2_group_width INT;
ALTER TABLE architecture ADD COLUMN s3_group_width INT;
ALTER TABLE architecture ADD COLUMN s4_group_width INT;
ALTER TABLE architecture ADD COLUMN s5_group_width INT;
ALTER TABLE architecture ADD COLUMN s6_group_width INT;
