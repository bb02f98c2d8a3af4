<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>StudioOptions</name>
    <message>
        <source>ZSI Studio: zero-shot instance segmentation</source>
        <translation>ZSI Studio：零样本实例分割</translation>
    </message>
    <message>
        <source>Folder with the demo assets.</source>
        <translation>演示资源所在的文件夹。</translation>
    </message>
    <message>
        <source>Render the window to a PNG file.</source>
        <translation>将窗口渲染为 PNG 文件。</translation>
    </message>
    <message>
        <source>Quit after the screenshot or report.</source>
        <translation>截图或生成报告后退出。</translation>
    </message>
    <message>
        <source>Image to show first.</source>
        <translation>首先显示的图像。</translation>
    </message>
    <message>
        <source>Comma-separated unseen class names.</source>
        <translation>以逗号分隔的未见类别名称。</translation>
    </message>
    <message>
        <source>Select instance N.</source>
        <translation>选中第 N 个实例。</translation>
    </message>
    <message>
        <source>Write a report (background) and exit.</source>
        <translation>生成报告（background）后退出。</translation>
    </message>
    <message>
        <source>Output folder of the report.</source>
        <translation>报告的输出文件夹。</translation>
    </message>
    <message>
        <source>Model bundle folder.</source>
        <translation>模型包文件夹。</translation>
    </message>
    <message>
        <source>Images or folders to open.</source>
        <translation>要打开的图像或文件夹。</translation>
    </message>
</context>
<context>
    <name>zsi::MainWindow</name>
    <message>
        <source>ZSI Studio</source>
        <translation>ZSI Studio</translation>
    </message>
    <message>
        <source>LibTorch %1 | %2 threads | %3</source>
        <translation>LibTorch %1 | %2 个线程 | %3</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Image...</source>
        <translation>打开图像(&amp;O)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About ZSI Studio</source>
        <translation>关于 ZSI Studio(&amp;A)</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 - ZSI Studio</source>
        <translation>%1 - ZSI Studio</translation>
    </message>
    <message>
        <source>Opened %1 (%2 x %3)</source>
        <translation>已打开 %1（%2 x %3）</translation>
    </message>
    <message>
        <source>Open Image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)</translation>
    </message>
    <message>
        <source>About ZSI Studio</source>
        <translation>关于 ZSI Studio</translation>
    </message>
    <message>
        <source>&lt;h3&gt;ZSI Studio %1&lt;/h3&gt;&lt;p&gt;Zero-shot instance segmentation (Zheng et al., CVPR 2021): type the names of classes the model never saw and get their masks.&lt;/p&gt;&lt;p&gt;LibTorch %2, %3 threads.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ZSI Studio %1&lt;/h3&gt;&lt;p&gt;零样本实例分割（Zheng 等，CVPR 2021）：输入模型从未见过的类别名称，即可得到它们的掩码。&lt;/p&gt;&lt;p&gt;LibTorch %2，%3 个线程。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>zsi::SimilarityChart</name>
    <message>
        <source>Select an instance to see its similarity to every class.</source>
        <translation>选中一个实例以查看它与每个类别的相似度。</translation>
    </message>
    <message>
        <source>seen</source>
        <translation>已见</translation>
    </message>
    <message>
        <source>unseen</source>
        <translation>未见</translation>
    </message>
    <message>
        <source>background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>similarity (%1)</source>
        <translation>相似度（%1）</translation>
    </message>
</context>
</TS>