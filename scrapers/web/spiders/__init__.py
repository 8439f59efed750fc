"""Spiders of the school-mentions Scrapy project (one generic spider driven by a job file)."""
