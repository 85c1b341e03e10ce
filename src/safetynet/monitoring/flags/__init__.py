"""Data flags (数据纠错): batch rows a home visit found wrong ("数据有误"), listed for the
department that sent them and the county, and settled by them (corrected, or found right),
audited."""
